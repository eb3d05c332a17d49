package dev.nano.loop;

import java.lang.management.ManagementFactory;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

/**
 * One daemon thread that watches the JS tasks running on the worker threads and stops those that run
 * past their CPU time or allocate past their memory budget.
 *
 * <p>The hot path costs two volatile writes and a clock read per task ({@link Slot#begin}/{@link
 * Slot#end}). While tasks run, the watchdog wakes every {@link #SCAN_TICK_NANOS}; when it first sees a
 * task running it reads that thread's CPU time (a system call, ~2 µs here) and allocated bytes (~0.4
 * µs, both measured on another thread), and from then on wakes every {@link #TICK_NANOS} to read the
 * difference, until no task it sampled is still running. A task's CPU time is that difference plus at
 * most {@link #TICK_NANOS} for the time before the first sample (the wall clock would blame a
 * descheduled task for its preemption); it is stopped once that passes its limit, or once the bytes it
 * allocated since the first sample pass its budget. Most tasks end before any tick sees them, so
 * a server busy with short tasks is woken 100 times a second, not 500 (each wake-up preempts a worker
 * on its core: at 2 ms they cost ~1% of a hello-world server's core). A task that never ends is
 * stopped at most a scan tick and a tick after its limit.
 *
 * <p>When no task has run for {@link #DOZE_AFTER_NANOS}, it dozes: it wakes only for the
 * once-a-second housekeeping, heap pressure, or the next task's {@link Slot#begin}, which wakes it
 * (an idle server then costs no CPU for the watch: 500 wake-ups a second were ~1% of a core).
 *
 * <p>It also watches the heap: when a collection leaves the heap more than
 * {@link #HEAP_PRESSURE_FRACTION} full, it stops the running task that allocated the most (if that is
 * over {@link #HEAP_PRESSURE_MIN_BYTES}) and runs the {@link #onHeapPressure} callbacks (which evict
 * idle contexts), so that one app cannot take the process down with an OutOfMemoryError.
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Watchdog.class.getName());
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** The tick while no task it sampled is still running (only short tasks seen, or none yet). */
    static final long SCAN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * What a task may use, and what to stop when it uses more.
     *
     * @param cpuGrace CPU time (nanoseconds) that tasks sharing it may spend past {@code cpuNanos}
     *     before they are stopped, drawn down as they do: the first runs through cold code (the
     *     interpreter, before the JIT) can take a few times the limit (150 ms here for the first
     *     request of a fresh process), and should not count as spinning. Null: none.
     */
    public record Budget(long cpuNanos, long allocatedBytes, AtomicLong cpuGrace, Stoppable target) {}

    /** Something running JS that the watchdog can stop from its own thread. */
    public interface Stoppable {
        /**
         * Stops the running task; called on the watchdog thread, at most once per task, and must not
         * block it for long.
         */
        void stop(Overrun overrun);
    }

    /** Which limit a task passed and by how much. */
    public record Overrun(Kind kind, long used, long limit) {
        public enum Kind { CPU, MEMORY, HEAP_PRESSURE, OUT_OF_MEMORY }

        /** What the task did, e.g. "used more than 50 ms of CPU time". */
        public String describe() {
            return switch (kind) {
                case CPU -> "used more than " + TimeUnit.NANOSECONDS.toMillis(limit) + " ms of CPU time";
                case MEMORY -> "allocated more than " + (limit >> 20) + " MB";
                case HEAP_PRESSURE -> "allocated " + (used >> 20)
                        + " MB, the most of any running task, while the server was short of memory";
                case OUT_OF_MEMORY -> "ran out of memory: the server's heap was full while it allocated";
            };
        }
    }

    /** The watch over one worker thread. The worker calls begin/end; the watchdog reads. */
    public static final class Slot {
        private final Watchdog owner;
        private volatile Thread thread;
        private volatile Budget budget;
        private volatile long started; // System.nanoTime() at begin; 0 when no task runs
        private int depth; // worker thread only
        // worker thread only; allowance is published to the watchdog by the write of started:
        private CpuAccount account;
        private long allowance; // what is left of the request's CPU limit when the task began
        // the watchdog's latest estimate of the running task's CPU time, for the worker's charge at end:
        private volatile long seenRun;
        private long seenCpu;
        private long seenAt;
        private long seenGrace;
        // watchdog thread only:
        private long sampledRun;
        private long sampledWall;
        private long cpuBase;
        private long allocBase;
        private long stoppedRun;
        private long chargedGrace;

        private Slot(Watchdog owner) {
            this.owner = owner;
        }

        /**
         * The heap ran out while a task on this thread allocated (the watchdog did not stop it in
         * time): the watchdog treats it as heap pressure, evicting idle contexts. Any thread.
         */
        public void heapExhausted() {
            owner.heapPressure();
        }

        /**
         * The worker starts a task under {@code budget}. Nested calls (a task that runs another) count
         * as the outer one. Returns whether this call opened the watch (and must {@link #end()} it).
         */
        public boolean begin(Budget budget) {
            return begin(budget, null);
        }

        /**
         * {@link #begin(Budget)} for a task of the request whose CPU time {@code account} holds: the
         * task may use what is left of the request's limit, and its CPU time is charged there at
         * {@link #end()}. The caller refuses a task whose request has nothing left.
         */
        public boolean begin(Budget budget, CpuAccount account) {
            if (depth++ > 0) {
                return false;
            }
            if (thread == null) {
                thread = Thread.currentThread();
            }
            this.account = account;
            this.allowance = account == null ? Long.MAX_VALUE : budget.cpuNanos() - account.usedNanos();
            this.budget = budget;
            long now = System.nanoTime();
            started = now == 0 ? 1 : now;
            if (owner.dozing) { // read after the write of started: see Watchdog.doze
                owner.wake();
            }
            return true;
        }

        public void end() {
            if (--depth == 0) {
                long run = started;
                Budget b = budget;
                started = 0;
                budget = null;
                CpuAccount a = account;
                if (a != null) {
                    account = null;
                    a.charge(charge(run, System.nanoTime(), b, a));
                }
            }
        }

        /**
         * The CPU time of the task that began at {@code run}, to charge to its request. A task the
         * watchdog never saw (shorter than a tick) counts its wall time, which costs no system call;
         * one it saw counts the watchdog's estimate (thread CPU time) plus the wall time since, less
         * what the app's cold-code grace forgave. Short tasks that together pass the limit on cold
         * code draw on the same grace.
         */
        private long charge(long run, long now, Budget b, CpuAccount a) {
            long charge;
            if (seenRun == run) {
                charge = Math.max(0, seenCpu + (now - seenAt) - seenGrace);
            } else {
                charge = now - run;
            }
            long limit = b.cpuNanos();
            long used = a.usedNanos() + charge;
            AtomicLong grace = b.cpuGrace();
            if (used > limit && grace != null) {
                long over = used - Math.max(limit, a.usedNanos());
                if (grace.addAndGet(-over) > 0) {
                    charge -= over;
                }
            }
            return charge;
        }

        /** Whether a watched task is running now (any thread; a snapshot). */
        public boolean busy() {
            return started != 0;
        }

        /** An id of the task running now, 0 if none: it changes from task to task. Worker thread. */
        public long task() {
            return started;
        }

        /** Watchdog thread: its estimate of task {@code run}'s CPU time at {@code at}, for the charge. */
        private void seen(long run, long cpu, long at) {
            seenCpu = cpu;
            seenAt = at;
            seenGrace = chargedGrace;
            seenRun = run;
        }
    }

    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final List<Runnable> housekeeping = new CopyOnWriteArrayList<>();
    private final List<Runnable> pressureCallbacks = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final NotificationListener heapListener = this::heapNotification;
    private volatile boolean closed;
    private volatile boolean heapPressure;
    private volatile boolean dozing;
    private boolean following; // the watchdog thread's
    private long lastHousekeeping = System.nanoTime();
    private long lastBusy = System.nanoTime(); // watchdog thread: when it last saw a task running

    /** How long no task must run before the watchdog stops its ticks. */
    static final long DOZE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Heap use after a collection (of any kind) that counts as heap pressure. */
    static final double HEAP_PRESSURE_FRACTION = 0.75;
    private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

    public Watchdog() {
        THREADS.setThreadCpuTimeEnabled(true);
        THREADS.setThreadAllocatedMemoryEnabled(true);
        watchHeap();
        thread = Thread.ofPlatform().name("nano-watchdog").daemon(true).start(this::run);
    }

    /** Listens to every collection: each says how full the heap still is after it. */
    private void watchHeap() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(heapListener, null, null);
            }
        }
    }

    private void heapNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getMemoryUsageAfterGc().entrySet()) {
            if (HEAP_POOLS.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        long max = Runtime.getRuntime().maxMemory();
        if (max > 0 && used > max * HEAP_PRESSURE_FRACTION) {
            heapPressure();
        }
    }

    /** Runs {@code callback} on the watchdog thread when the heap is short. */
    public void onHeapPressure(Runnable callback) {
        pressureCallbacks.add(callback);
    }

    /** A new slot for one worker thread. */
    public Slot newSlot() {
        Slot slot = new Slot(this);
        slots.add(slot);
        return slot;
    }

    /** Runs {@code task} about once a second on the watchdog thread (e.g. idle context eviction). */
    public void every1s(Runnable task) {
        housekeeping.add(task);
    }

    /**
     * The heap is short: on its next tick the watchdog stops the running task that allocated the most
     * since it was sampled (if it allocated more than {@code minBytes}). Any thread.
     */
    public void heapPressure() {
        heapPressure = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        while (!closed) {
            long now = System.nanoTime();
            long untilHousekeeping = lastHousekeeping + TimeUnit.SECONDS.toNanos(1) - now;
            if (now - lastBusy > DOZE_AFTER_NANOS && untilHousekeeping > TICK_NANOS) {
                doze(untilHousekeeping);
            } else {
                LockSupport.parkNanos(this, following ? TICK_NANOS : SCAN_TICK_NANOS);
            }
            try {
                if (check(System.nanoTime())) {
                    lastBusy = System.nanoTime();
                }
                if (System.nanoTime() - lastHousekeeping >= TimeUnit.SECONDS.toNanos(1)) {
                    lastHousekeeping = System.nanoTime();
                    housekeeping.forEach(Runnable::run);
                }
            } catch (Throwable t) {
                // Also OutOfMemoryError: the watchdog must outlive a full heap (it is what frees it),
                // even when there is no memory left to log why.
                try {
                    LOG.log(Level.WARNING, "watchdog: " + t, t);
                } catch (Throwable noMemoryToLog) {
                    // carry on watching
                }
            }
        }
    }

    /**
     * Parks until the next housekeeping, unless a task begins (its {@link Slot#begin} wakes the
     * watchdog) or the heap runs short. The flag is written before the slots are read, and begin
     * writes {@code started} before it reads the flag (all volatile), so a task that begins meanwhile
     * is seen by one side or the other.
     */
    private void doze(long nanos) {
        dozing = true;
        for (Slot slot : slots) {
            if (slot.started != 0) {
                dozing = false;
                return;
            }
        }
        if (!heapPressure && !closed) {
            LockSupport.parkNanos(this, nanos);
        }
        dozing = false;
    }

    /** Whether the watchdog is dozing now (tests). */
    boolean dozing() {
        return dozing;
    }

    /** A task began while the watchdog dozed. Worker thread. */
    private void wake() {
        dozing = false;
        LockSupport.unpark(thread);
    }

    /**
     * One tick: stops the tasks past their limits, and sets {@link #following} when a task sampled on an
     * earlier tick still runs. Returns whether any task was running.
     */
    private boolean check(long now) {
        boolean busy = false;
        boolean follow = false;
        Slot heaviest = null;
        long heaviestBytes = 0;
        long heaviestRun = 0;
        for (Slot slot : slots) {
            long run = slot.started;
            Budget budget = slot.budget;
            Thread t = slot.thread;
            if (run != 0) {
                busy = true;
            }
            if (run == 0 || budget == null || t == null || slot.stoppedRun == run) {
                continue;
            }
            if (slot.sampledRun != run) { // first seen: sample the thread's clocks from here on
                slot.sampledRun = run;
                slot.chargedGrace = 0;
                // Before this sample the task ran up to a tick of CPU time (more wall time if it was
                // descheduled, or the watchdog late): count one tick at most, never blame a preemption.
                slot.sampledWall = Math.min(now - run, TICK_NANOS);
                slot.cpuBase = THREADS.getThreadCpuTime(t.threadId());
                slot.allocBase = THREADS.getThreadAllocatedBytes(t.threadId());
                slot.seen(run, slot.sampledWall, now);
                continue;
            }
            long cpu = slot.sampledWall + THREADS.getThreadCpuTime(t.threadId()) - slot.cpuBase;
            long allocated = THREADS.getThreadAllocatedBytes(t.threadId()) - slot.allocBase;
            if (slot.started != run) {
                continue; // it ended while we looked
            }
            // the task may use what its request has left of the limit (all of it for a task of no request)
            long limit = Math.min(budget.cpuNanos(), slot.allowance);
            if (cpu > limit && !drawGrace(slot, budget, cpu - limit)) {
                long requestCpu = budget.cpuNanos() - limit + cpu;
                stop(slot, run, budget, new Overrun(Overrun.Kind.CPU, requestCpu, budget.cpuNanos()));
                continue;
            }
            slot.seen(run, cpu, now);
            follow = true; // a task that outlived a tick: follow it closely
            if (allocated > budget.allocatedBytes()) {
                stop(slot, run, budget, new Overrun(Overrun.Kind.MEMORY, allocated, budget.allocatedBytes()));
            } else if (allocated > heaviestBytes) {
                heaviest = slot;
                heaviestBytes = allocated;
                heaviestRun = run;
            }
        }
        if (heapPressure) {
            heapPressure = false;
            LOG.warning("the heap is short of memory: evicting idle JS contexts");
            for (Runnable callback : pressureCallbacks) {
                callback.run();
            }
            if (heaviest != null && heaviestBytes > HEAP_PRESSURE_MIN_BYTES && heaviest.started == heaviestRun) {
                Budget budget = heaviest.budget;
                if (budget != null) {
                    stop(heaviest, heaviestRun, budget, new Overrun(Overrun.Kind.HEAP_PRESSURE, heaviestBytes, 0));
                }
            }
        }
        following = follow;
        return busy;
    }

    /** Charges a task's CPU time past its limit to the grace; false once the grace is spent. */
    private static boolean drawGrace(Slot slot, Budget budget, long excess) {
        AtomicLong grace = budget.cpuGrace();
        if (grace == null) {
            return false;
        }
        long left = grace.addAndGet(-(excess - slot.chargedGrace));
        slot.chargedGrace = excess;
        return left > 0;
    }

    /** Under heap pressure, a running task that allocated less than this is left alone. */
    static final long HEAP_PRESSURE_MIN_BYTES = 8L << 20;

    private static void stop(Slot slot, long run, Budget budget, Overrun overrun) {
        slot.stoppedRun = run;
        try {
            budget.target().stop(overrun);
        } catch (RuntimeException | OutOfMemoryError e) { // e.g. no memory left for the interrupting thread
            LOG.log(Level.WARNING, "watchdog: could not stop a task: " + e, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.removeNotificationListener(heapListener);
                }
            } catch (ListenerNotFoundException e) {
                // not registered: nothing to remove
            }
        }
    }
}
