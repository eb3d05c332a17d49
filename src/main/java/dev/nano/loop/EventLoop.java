package dev.nano.loop;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.netty.util.concurrent.EventExecutor;

/**
 * A serial task queue with timers, run by one thread at a time: the event loop of the JS contexts
 * bound to it. Any thread may {@link #execute post} a task; timers are scheduled from the loop's
 * own thread. Microtasks are not queued here: GraalJS drains them when each task's call into JS
 * returns, which gives HTML's "microtask checkpoint after every task".
 *
 * <p>Two modes. {@code new EventLoop()} owns its queues and is run by a thread that calls
 * {@link #runUntilIdle()} or {@link #runForever()} ({@code nano run}, tests). {@link #drivenBy}
 * hands tasks and timers to a Netty event loop instead, so that JS runs on the I/O thread that
 * reads its connections: a request is handled where it was decoded, with no hand-off between
 * threads (each hand-off cost a wake-up and a context switch). Netty keeps the same order: tasks
 * FIFO, timers by deadline then scheduling order, due timers before the tasks queued after them.
 */
public final class EventLoop {
    private static final Logger LOG = Logger.getLogger(EventLoop.class.getName());

    /** Netty's loop that runs this one's tasks and timers; null when the loop runs itself. */
    private final EventExecutor driver;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Work in flight outside the loop (I/O, requests) that will post back: the loop must wait for it. */
    private final AtomicInteger pendingRefs = new AtomicInteger();
    private long timerSeq;
    private int refedTimers;
    private volatile Thread thread;
    private volatile boolean stopped;
    /** True while a task or timer of this loop runs (loop thread only): JS is on the stack. */
    private boolean inTask;
    /** The watchdog's watch over this loop's thread; null when nothing watches it ({@code nano run}). */
    private volatile Watchdog.Slot watch;

    /** A loop run by the thread that calls {@link #runUntilIdle()} or {@link #runForever()}. */
    public EventLoop() {
        this.driver = null;
    }

    private EventLoop(EventExecutor driver) {
        this.driver = driver;
    }

    /**
     * A loop whose tasks and timers run on {@code executor}'s thread (a Netty I/O thread); it is
     * never run with {@link #runForever()}. A task that throws is logged; the thread goes on.
     */
    public static EventLoop drivenBy(EventExecutor executor) {
        return new EventLoop(executor);
    }

    /** Lets {@code watchdog} stop JS tasks on this loop that run past their limits. */
    public void watchBy(Watchdog watchdog) {
        this.watch = watchdog.newSlot();
    }

    /** The watch over this loop's thread, or null. */
    public Watchdog.Slot watch() {
        return watch;
    }

    /** Posts a task; safe from any thread. */
    public void execute(Runnable task) {
        if (driver != null) {
            if (!stopped) {
                try {
                    driver.execute(() -> runDriven(task));
                } catch (RejectedExecutionException shutDown) {
                    // the I/O thread is gone: so is everything that could run this task
                }
            }
            return;
        }
        tasks.add(task);
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
        }
    }

    /** Marks outside work in flight; the loop does not go idle until {@link #unref()} is called. */
    public void ref() {
        pendingRefs.incrementAndGet();
    }

    public void unref() {
        if (pendingRefs.decrementAndGet() == 0 && driver == null) {
            execute(() -> {}); // wake the loop so that it can notice it is idle
        }
    }

    /**
     * Runs {@code task} at once when called on the loop's thread while none of its tasks is running
     * (e.g. from Netty's I/O code on the thread that drives this loop), else posts it. Running at once
     * saves a trip through the queue; a call from inside a task is posted, so that JS never re-enters
     * a context from the middle of an op.
     */
    public void executeNow(Runnable task) {
        if (!inTask && inLoopThread() && !stopped) {
            runTask(task);
        } else {
            execute(task);
        }
    }

    private void runTask(Runnable task) {
        inTask = true;
        try {
            task.run();
        } finally {
            inTask = false;
        }
    }

    private void runDriven(Runnable task) {
        if (stopped) {
            return;
        }
        try {
            runTask(task);
        } catch (Throwable t) { // e.g. a timer of a context closed meanwhile: the thread goes on
            LOG.log(Level.WARNING, "an event loop task failed: " + t, t);
        }
    }

    /**
     * Schedules {@code task} after {@code delayNanos}, ordered by deadline then by scheduling order.
     * Loop thread only. An unref'd timer does not keep {@link #runUntilIdle()} waiting.
     */
    public Timer schedule(long delayNanos, boolean ref, Runnable task) {
        long delay = Math.max(0, delayNanos);
        Timer timer = new Timer(System.nanoTime() + delay, timerSeq++, ref, task);
        if (driver != null) {
            try {
                timer.future = driver.schedule(() -> runDriven(task), delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shutDown) {
                // the I/O thread is gone; the timer never fires
            }
            return timer;
        }
        timers.add(timer);
        if (ref) {
            refedTimers++;
        }
        return timer;
    }

    /** Cancels a timer that has not fired yet; a no-op otherwise. Loop thread only. */
    public void cancel(Timer timer) {
        if (timer != null && driver != null) {
            if (timer.future != null) {
                timer.future.cancel(false);
            }
            return;
        }
        if (timer != null && timers.remove(timer) && timer.ref) {
            refedTimers--;
        }
    }

    /** Runs until no task, timer or pending ref is left (script mode), or until {@link #stop()}. */
    public void runUntilIdle() {
        run(true);
    }

    /** Runs until {@link #stop()} (server mode): an idle loop parks and waits for posted tasks. */
    public void runForever() {
        run(false);
    }

    public void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    public boolean isStopped() {
        return stopped;
    }

    public boolean inLoopThread() {
        return driver != null ? driver.inEventLoop() : thread == Thread.currentThread();
    }

    private void run(boolean exitWhenIdle) {
        if (driver != null) {
            throw new IllegalStateException("this loop is driven by a Netty event loop; it is not run by hand");
        }
        thread = Thread.currentThread();
        try {
            while (!stopped) {
                boolean didWork = runPostedTasks();
                didWork |= runDueTimers();
                if (stopped) {
                    return;
                }
                if (didWork) {
                    continue;
                }
                if (exitWhenIdle && refedTimers == 0 && pendingRefs.get() == 0 && tasks.isEmpty()) {
                    return;
                }
                park();
            }
        } finally {
            thread = null;
        }
    }

    private boolean runPostedTasks() {
        // Only the tasks present now: tasks posted by these run on the next turn, after due timers.
        int n = tasks.size();
        boolean ran = false;
        for (int i = 0; i < n && !stopped; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                break;
            }
            runTask(task);
            ran = true;
        }
        return ran;
    }

    private boolean runDueTimers() {
        long now = System.nanoTime();
        boolean ran = false;
        Timer next;
        while (!stopped && (next = timers.peek()) != null && next.deadline - now <= 0) {
            timers.poll();
            if (next.ref) {
                refedTimers--;
            }
            runTask(next.task);
            ran = true;
        }
        return ran;
    }

    private void park() {
        if (!tasks.isEmpty()) {
            return;
        }
        Timer next = timers.peek();
        if (next == null) {
            LockSupport.park(this);
        } else {
            long wait = next.deadline - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /** A scheduled timer; compare by deadline, then by the order in which timers were scheduled. */
    public static final class Timer implements Comparable<Timer> {
        final long deadline;
        final long seq;
        final boolean ref;
        final Runnable task;
        /** The Netty timer, in a driven loop. */
        ScheduledFuture<?> future;

        Timer(long deadline, long seq, boolean ref, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.ref = ref;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        public long remainingMillis() {
            return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        }
    }
}
