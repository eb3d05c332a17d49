package dev.nano.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;

import dev.nano.loop.EventLoop;
import dev.nano.loop.ThreadPriority;
import dev.nano.loop.Watchdog;

/**
 * The JS worker threads, each with one {@link EventLoop}; every context created on a worker is bound
 * to its loop, so JS in a context never runs on two threads at once. Either the pool owns its threads
 * ({@link #WorkerPool(int)}), or each worker is one of the server's Netty I/O threads
 * ({@link #WorkerPool(EventExecutorGroup)}): then a request runs on the thread that read it.
 *
 * <p>Beside those, the pool owns as many background workers, on threads of their own at the lowest
 * OS scheduling priority: apps that ran past their CPU limit are {@link App#demoted() demoted} there,
 * so that a spinning app no longer holds up the I/O threads and every other app's connections on them.
 * One {@link Watchdog} watches every worker.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());
    /** One worker thread and its loop; {@code busy} counts requests posted to it and not yet answered. */
    public static final class Worker {
        private final int index;
        private final EventLoop loop;
        private final AtomicInteger busy = new AtomicInteger();
        private final Thread thread; // null when a Netty event loop drives the loop
        private final boolean background;

        Worker(int index, boolean background) {
            this.index = index;
            this.background = background;
            this.loop = new EventLoop();
            this.thread = Thread.ofPlatform().name((background ? "nano-background-" : "nano-worker-") + index)
                    .daemon(true).unstarted(this::run);
        }

        Worker(int index, EventExecutor io) {
            this.index = index;
            this.loop = EventLoop.drivenBy(io);
            this.thread = null;
            this.background = false;
        }

        /** A task that throws (e.g. a timer of a context closed meanwhile) must not end the worker. */
        private void run() {
            if (background) {
                ThreadPriority.lowest();
            }
            while (!loop.isStopped()) {
                try {
                    loop.runForever();
                } catch (Throwable t) {
                    LOG.log(Level.WARNING, "worker " + index + ": a task failed: " + t, t);
                }
            }
        }

        public int index() {
            return index;
        }

        public EventLoop loop() {
            return loop;
        }

        /** A worker for demoted apps, off the I/O threads. */
        public boolean background() {
            return background;
        }

        public int busy() {
            return busy.get();
        }

        void enter() {
            busy.incrementAndGet();
        }

        void leave() {
            busy.decrementAndGet();
        }
    }

    /**
     * How many more requests in flight a worker that already has a context of the app may carry before
     * a worker without one is preferred: creating a context costs milliseconds and ~100 KB, so an app
     * spreads over more workers only under load.
     */
    static final int COLD_WORKER_PENALTY = 2;

    /** The front workers (I/O threads in the server), then the background ones. */
    private final List<Worker> all;
    private final List<Worker> front;
    private final List<Worker> background;
    private final Watchdog watchdog = new Watchdog();
    private final AtomicInteger nextStart = new AtomicInteger();

    /** {@code size} workers on threads of their own. */
    public WorkerPool(int size) {
        this(IntStream.range(0, size).mapToObj(i -> new Worker(i, false)).toList());
    }

    /** One worker per event loop of {@code io}, run by that loop's thread. */
    public WorkerPool(EventExecutorGroup io) {
        this(driven(io));
    }

    private static List<Worker> driven(EventExecutorGroup io) {
        List<Worker> list = new ArrayList<>();
        for (EventExecutor e : io) {
            list.add(new Worker(list.size(), e));
        }
        return list;
    }

    private WorkerPool(List<Worker> front) {
        if (front.isEmpty()) {
            throw new IllegalArgumentException("at least one worker thread is needed");
        }
        this.front = List.copyOf(front);
        this.background = IntStream.range(0, front.size())
                .mapToObj(i -> new Worker(front.size() + i, true)).toList();
        List<Worker> list = new ArrayList<>(this.front);
        list.addAll(background);
        this.all = List.copyOf(list);
        for (Worker w : all) {
            w.loop.watchBy(watchdog);
            if (w.thread != null) {
                w.thread.start();
            }
        }
    }

    public static int defaultSize() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Every worker, front and background: a context index is below this. */
    public int size() {
        return all.size();
    }

    public Worker get(int index) {
        return all.get(index);
    }

    public List<Worker> all() {
        return all;
    }

    /** The front workers (the server's I/O threads), without the background ones. */
    public List<Worker> front() {
        return front;
    }

    public Watchdog watchdog() {
        return watchdog;
    }

    /** The front worker whose loop runs on the calling thread, or null. */
    Worker current() {
        for (int i = 0; i < front.size(); i++) {
            Worker w = front.get(i);
            if (w.loop.inLoopThread()) {
                return w;
            }
        }
        return null;
    }

    /**
     * The least busy worker for {@code app} (a background one if it is demoted), preferring those that
     * already hold one of its contexts.
     */
    Worker pick(App app) {
        List<Worker> workers = app.demoted() ? background : front;
        int n = workers.size();
        int start = Math.floorMod(nextStart.getAndIncrement(), n);
        Worker best = null;
        int bestScore = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Worker w = workers.get((start + i) % n);
            int score = w.busy() + (app.hasContextOn(w) ? 0 : COLD_WORKER_PENALTY);
            if (score < bestScore) {
                best = w;
                bestScore = score;
            }
        }
        return best;
    }

    /** Stops the loops (and joins the pool's own threads; Netty's are shut down by their owner). */
    @Override
    public void close() {
        watchdog.close();
        for (Worker w : all) {
            w.loop.stop();
        }
        for (Worker w : all) {
            if (w.thread == null) {
                continue;
            }
            try {
                w.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
