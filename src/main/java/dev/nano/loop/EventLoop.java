package dev.nano.loop;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A serial task queue with timers, run by one thread at a time: the event loop of the JS contexts
 * bound to it. Any thread may {@link #execute post} a task; timers are scheduled from the loop's
 * own thread. Microtasks are not queued here: GraalJS drains them when each task's call into JS
 * returns, which gives HTML's "microtask checkpoint after every task".
 */
public final class EventLoop {
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Work in flight outside the loop (I/O, requests) that will post back: the loop must wait for it. */
    private final AtomicInteger pendingRefs = new AtomicInteger();
    private long timerSeq;
    private int refedTimers;
    private volatile Thread thread;
    private volatile boolean stopped;

    /** Posts a task; safe from any thread. */
    public void execute(Runnable task) {
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
        if (pendingRefs.decrementAndGet() == 0) {
            execute(() -> {}); // wake the loop so that it can notice it is idle
        }
    }

    /**
     * Schedules {@code task} after {@code delayNanos}, ordered by deadline then by scheduling order.
     * Loop thread only. An unref'd timer does not keep {@link #runUntilIdle()} waiting.
     */
    public Timer schedule(long delayNanos, boolean ref, Runnable task) {
        Timer timer = new Timer(System.nanoTime() + Math.max(0, delayNanos), timerSeq++, ref, task);
        timers.add(timer);
        if (ref) {
            refedTimers++;
        }
        return timer;
    }

    /** Cancels a timer that has not fired yet; a no-op otherwise. Loop thread only. */
    public void cancel(Timer timer) {
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
        return thread == Thread.currentThread();
    }

    private void run(boolean exitWhenIdle) {
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
            task.run();
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
            next.task.run();
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
