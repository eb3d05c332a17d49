package dev.nano.apps;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.graalvm.polyglot.PolyglotException;

import dev.nano.engine.JsRuntime;
import dev.nano.engine.NanoEngine;

/**
 * Spare contexts, bootstrapped ahead of need: a few per front worker with NANO's Web APIs evaluated
 * and no app bound, so that a new app (or an app's first request on a worker) only evaluates its own
 * module. A thread of its own builds them, off the workers, so that the bootstrap runs beside the
 * requests instead of on their path; a worker {@link #take takes} one on its loop thread and binds it
 * to the app there. A spare has never run app code, and is handed out once. The builder runs at the
 * normal priority: at the lowest one (nice 19), the compiler threads, busy for minutes after start,
 * starved it (a spare took ~2 s to build and most loads found none ready); it only builds to replace
 * spares taken, which is work a worker would otherwise have done itself.
 *
 * <p>The builder starts {@link #START_DELAY_MS} after the server is ready ({@link #startBuilding}):
 * the apps in the configuration are loaded before that and do not need spares, and at launch the
 * builder only competed with the first requests (on one core, ~12% of the CPU until the first 200).
 *
 * <p>Size: {@code -Dnano.contextPool=N} spares per front worker (default {@link #DEFAULT_SIZE}; 0
 * turns the pool off). A spare costs about as much heap as an idle app context (~200 KB).
 */
public final class ContextPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ContextPool.class.getName());
    public static final int DEFAULT_SIZE = 2;
    /** How long after {@link #startBuilding} the first spare is built. */
    static final long START_DELAY_MS = 1000;

    private final NanoEngine engine;
    private final List<WorkerPool.Worker> workers;
    private final int size;
    private final ConcurrentLinkedQueue<JsRuntime>[] spares;
    /** Spares per worker, counted apart from the queue (whose size() walks it). */
    private final AtomicInteger[] counts;
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private volatile Thread builder;
    private volatile boolean closed;

    /** The size from {@code -Dnano.contextPool}, else {@link #DEFAULT_SIZE}. */
    public static int configuredSize() {
        String value = System.getProperty("nano.contextPool");
        if (value == null || value.isBlank()) {
            return DEFAULT_SIZE;
        }
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("nano.contextPool: expected a number of spare contexts per worker, got '"
                    + value + "'");
        }
    }

    /** @param workers the workers to keep spares for (the front ones: demoted apps build their own) */
    @SuppressWarnings("unchecked")
    public ContextPool(NanoEngine engine, List<WorkerPool.Worker> workers, int size) {
        this.engine = engine;
        this.workers = List.copyOf(workers);
        this.size = size;
        int n = 0;
        for (WorkerPool.Worker w : workers) {
            n = Math.max(n, w.index() + 1);
        }
        this.spares = new ConcurrentLinkedQueue[n];
        this.counts = new AtomicInteger[n];
        for (int i = 0; i < n; i++) {
            spares[i] = new ConcurrentLinkedQueue<>();
            counts[i] = new AtomicInteger();
        }
    }

    /** Starts building spares, {@link #START_DELAY_MS} from now (once the server is ready). */
    public synchronized void startBuilding() {
        if (builder == null && size > 0 && !workers.isEmpty() && !closed) {
            builder = Thread.ofPlatform().name("nano-spare-contexts").daemon(true).start(this::run);
        }
    }

    /**
     * A spare context of {@code worker}'s loop, bound to nothing yet, or null when none is ready (the
     * caller builds one). Loop thread of {@code worker}: the spare is that thread's from now on.
     */
    JsRuntime take(WorkerPool.Worker worker) {
        int i = worker.index();
        JsRuntime spare = i < spares.length ? spares[i].poll() : null;
        if (spare == null) {
            if (builder != null && i < spares.length) {
                missed.incrementAndGet();
            }
            return null;
        }
        counts[i].decrementAndGet();
        taken.incrementAndGet();
        LockSupport.unpark(builder);
        return spare;
    }

    /** Spares ready now, over all workers. */
    public int ready() {
        int n = 0;
        for (AtomicInteger c : counts) {
            n += c.get();
        }
        return n;
    }

    /** Spares handed to an app since start. */
    public long taken() {
        return taken.get();
    }

    /** Times a worker found no spare ready and built a context itself. */
    public long missed() {
        return missed.get();
    }

    /** Closes the spares ready now (the heap is short); they are built again as they are taken. */
    void drain() {
        for (int i = 0; i < spares.length; i++) {
            JsRuntime spare;
            while ((spare = spares[i].poll()) != null) {
                counts[i].decrementAndGet();
                spare.close();
            }
        }
    }

    private void run() {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_DELAY_MS);
        while (!closed && System.nanoTime() < start) { // takes before then do not wake it
            LockSupport.parkNanos(this, start - System.nanoTime());
        }
        while (!closed) {
            WorkerPool.Worker short_ = emptiest();
            if (short_ == null) {
                LockSupport.park(this);
                continue;
            }
            try {
                JsRuntime spare = JsRuntime.spare(engine, short_.loop());
                spares[short_.index()].add(spare);
                counts[short_.index()].incrementAndGet();
                if (closed) {
                    drain();
                }
            } catch (PolyglotException | IllegalStateException e) {
                if (closed) {
                    return; // the engine closed under us
                }
                // The bootstrap cannot fail for one context and not another: stop trying, and let
                // workers build their contexts themselves (where the error reaches the app's load).
                LOG.log(Level.WARNING, "cannot build a spare context; the pool stays empty: " + e, e);
                return;
            }
        }
        drain();
    }

    /** The worker with the fewest spares, if it has fewer than {@link #size}. */
    private WorkerPool.Worker emptiest() {
        WorkerPool.Worker best = null;
        int fewest = size;
        for (WorkerPool.Worker w : workers) {
            int n = counts[w.index()].get();
            if (n < fewest) {
                best = w;
                fewest = n;
            }
        }
        return best;
    }

    /** Stops building and closes the spares (before the engine closes). */
    @Override
    public void close() {
        closed = true;
        if (builder != null) {
            LockSupport.unpark(builder);
            try {
                builder.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drain();
    }
}
