package dev.nano.apps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.graalvm.polyglot.Source;

import dev.nano.ext.cache.AppCache;
import dev.nano.ext.http.HttpExchange;
import dev.nano.ext.http.HttpOps;
import dev.nano.loop.Watchdog;

/**
 * One loaded version of an app: its config, its entry module (read once, so every context of this
 * version runs the same code), and at most one context per worker thread, created lazily on the
 * first request that lands there. A reload makes a new version; the old one is {@link #retire()
 * retired} and closes its contexts once its last request (and {@code waitUntil} work) has finished.
 *
 * <p>Limits: at most {@code limits.maxConcurrent} requests are handled at once (more wait briefly,
 * then get 503); a context whose task passed its CPU or memory limit is discarded with its requests
 * answered 503, and an app that passed its CPU limit is demoted to the background workers, off the
 * I/O threads, until it has gone {@link AppLimits#DEMOTION_MS} without passing it again. Contexts
 * unused for {@code limits.idleMs} are closed (the parsed module stays shared in the engine, so a new
 * context costs a bootstrap, not a parse).
 */
public final class App implements HttpOps.Failures {
    public enum Status { READY, FAILED, RETIRED }

    /**
     * Whether CPU offenders move to the background workers; {@code -Dnano.limits.demote=false} keeps
     * them on the I/O threads, for benchmarks that show what demotion buys.
     */
    private static final boolean DEMOTE = !"false".equals(System.getProperty("nano.limits.demote"));
    /** Set in {@link #inFlight} once the version is closed: no request may enter any more. */
    private static final int CLOSED = 1 << 30;

    private final AppConfig config;
    private final int version;
    private final AppEntry entry;
    private final Source source;
    private final AppServices services;
    private final AppStats stats;
    private final AppCache cache;
    private final AtomicReferenceArray<AppContext> contexts;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Requests dispatched to a context and not answered yet; at most limits.maxConcurrent. */
    private final AtomicInteger handling = new AtomicInteger();
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    /** System.nanoTime() until which requests run on the background workers; 0: never demoted. */
    private volatile long demotedUntil;
    /** CPU time this version's tasks may spend past limits.cpuMs on cold code, once (see Watchdog.Budget). */
    private final AtomicLong cpuGrace = new AtomicLong(TimeUnit.MILLISECONDS.toNanos(AppLimits.CPU_GRACE_MS));
    private final AtomicBoolean loadReported = new AtomicBoolean();
    private volatile String loadError;
    private volatile boolean retired;

    App(AppConfig config, int version, AppServices services, AppStats stats) throws ConfigException {
        this(config, version, services, stats, new AppCache(config.cache()), null);
    }

    /**
     * @param cache the app's Cache API store, shared by its versions (see {@link dev.nano.ext.cache.CacheRegistry})
     * @param moduleText the entry module's text when the caller has it (an admin upload, just written to
     *     that file): the module keeps its path (imports, error locations), the file is not read back
     */
    App(AppConfig config, int version, AppServices services, AppStats stats, AppCache cache, String moduleText)
            throws ConfigException {
        this.config = config;
        this.cache = cache;
        this.version = version;
        this.services = services;
        this.stats = stats;
        this.entry = AppEntry.resolve(config.path());
        try {
            Source.Builder builder = Source.newBuilder("js", entry.module().toFile())
                    .mimeType("application/javascript+module");
            this.source = (moduleText != null ? builder.content(moduleText) : builder).build();
        } catch (IOException e) {
            throw new ConfigException(entry.module() + ": cannot read: " + e.getMessage());
        }
        this.contexts = new AtomicReferenceArray<>(services.workers().size());
    }

    public String name() {
        return config.name();
    }

    public AppConfig config() {
        return config;
    }

    public int version() {
        return version;
    }

    public AppEntry entry() {
        return entry;
    }

    /** The app's Cache API store ({@code caches}), the same for every context and version. */
    public AppCache cache() {
        return cache;
    }

    public AppStats stats() {
        return stats;
    }

    public Status status() {
        return retired ? Status.RETIRED : loadError != null ? Status.FAILED : Status.READY;
    }

    /** Why the app could not be loaded, or null. */
    public String loadError() {
        return loadError;
    }

    /** Requests started on this version and not finished (their {@code waitUntil} work included). */
    public int inFlight() {
        return inFlight.get() & ~CLOSED;
    }

    public int contextCount() {
        int n = 0;
        for (int i = 0; i < contexts.length(); i++) {
            if (contexts.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    public long maxBodyBytes() {
        return config.limits().maxBodyBytesOr(services.defaultMaxBodyBytes());
    }

    public long timeoutMs() {
        return config.limits().timeoutMsOr(services.defaultTimeoutMs());
    }

    AtomicLong cpuGrace() {
        return cpuGrace;
    }

    /** True while a task passed the CPU limit recently: requests then run on the background workers. */
    public boolean demoted() {
        long until = demotedUntil;
        return until != 0 && System.nanoTime() - until < 0;
    }

    boolean hasContextOn(WorkerPool.Worker worker) {
        return contexts.get(worker.index()) != null;
    }

    /**
     * Runs {@code exchange} on a context of this version: at once when called on a worker's thread
     * between tasks, else posted to a worker. Any thread.
     *
     * @return false when this version is closed (retired and drained): route the request again
     */
    public boolean dispatch(HttpExchange exchange) {
        if (loadError != null) {
            exchange.respondText(503, unavailable());
            exchange.done();
            return true;
        }
        if (!enter()) {
            return false;
        }
        if (handling.incrementAndGet() > config.limits().concurrency()) {
            handling.decrementAndGet();
            queue(exchange);
        } else {
            start(exchange);
        }
        return true;
    }

    /** Runs a request that holds a concurrency slot. */
    private void start(HttpExchange exchange) {
        // On an I/O thread that is a worker (the server's case), the request runs right here: no
        // hand-off to another thread. Elsewhere (tests, other callers; demoted apps) the least busy
        // worker takes it.
        WorkerPool.Worker here = demotedUntil != 0 && demoted() ? null : services.workers().current();
        WorkerPool.Worker worker = here != null ? here : services.workers().pick(this);
        worker.enter();
        TrackedExchange tracked = new TrackedExchange(exchange, this, worker);
        worker.loop().executeNow(() -> run(worker, tracked));
    }

    private void run(WorkerPool.Worker worker, TrackedExchange exchange) {
        // Time on the worker thread, by the wall clock: the thread CPU clock is a system call
        // (measured at several µs here, as much as the rest of a hello-world request).
        long start = System.nanoTime();
        try {
            AppContext context = contextOn(worker);
            if (context == null) {
                exchange.respondText(503, unavailable());
                exchange.done();
                return;
            }
            context.handle(exchange);
        } finally {
            stats.cpu(System.nanoTime() - start);
        }
    }

    // ---- limits.maxConcurrent: a short queue, then 503 ----

    /** A request waiting for a concurrency slot; whoever sets {@code taken} first owns it. */
    private static final class Waiting {
        final HttpExchange exchange;
        final AtomicBoolean taken = new AtomicBoolean();

        Waiting(HttpExchange exchange) {
            this.exchange = exchange;
        }
    }

    private void queue(HttpExchange exchange) {
        Waiting w = new Waiting(exchange);
        waiting.add(w);
        CompletableFuture.delayedExecutor(AppLimits.QUEUE_WAIT_MS, TimeUnit.MILLISECONDS).execute(() -> expire(w));
        startWaiting(); // a slot may have been freed while we queued
    }

    private void expire(Waiting w) {
        if (!w.taken.compareAndSet(false, true)) {
            return;
        }
        waiting.remove(w);
        stats.error(AppStats.CONCURRENCY);
        services.log().error(name(), AppStats.CONCURRENCY, w.exchange.method() + " " + w.exchange.url()
                + ": waited " + AppLimits.QUEUE_WAIT_MS + " ms behind " + config.limits().concurrency()
                + " requests in progress (limits.maxConcurrent)");
        w.exchange.respondText(503, "Service Unavailable: app '" + name() + "' already has "
                + config.limits().concurrency() + " requests in progress (limits.maxConcurrent); try again\n");
        w.exchange.done();
        exit();
    }

    /** A request was answered: its slot goes to the next waiting one. Any thread. */
    void released() {
        handling.decrementAndGet();
        if (!waiting.isEmpty()) {
            startWaiting();
        }
    }

    private void startWaiting() {
        while (!waiting.isEmpty()) {
            if (handling.incrementAndGet() > config.limits().concurrency()) {
                handling.decrementAndGet(); // whoever frees the slot starts the next one
                return;
            }
            Waiting w = waiting.poll();
            if (w != null && w.taken.compareAndSet(false, true)) {
                start(w.exchange);
            } else {
                handling.decrementAndGet(); // gone, or it expired meanwhile
            }
        }
    }

    // ---- contexts: loading, limits, eviction ----

    /**
     * Loads this version once on one worker, so that start-up, reloads and the admin API see load
     * errors at once (and a broken version never replaces a working one). That context stays, to
     * serve the requests that land on its worker (it is closed like any other once idle for
     * {@code limits.idleMs}); on other workers the first request that needs one makes one. The
     * module's parsed code stays in the engine, so those do not parse it again.
     */
    CompletableFuture<String> warmUp() {
        CompletableFuture<String> result = new CompletableFuture<>();
        if (!enter()) {
            result.complete("the app was removed");
            return result;
        }
        WorkerPool.Worker worker = services.workers().pick(this);
        worker.loop().execute(() -> {
            try {
                contextOn(worker);
            } finally {
                exit();
                result.complete(loadError);
            }
        });
        return result;
    }

    /** This version's context on {@code worker}, created on first use; null if the app cannot load. Loop thread. */
    private AppContext contextOn(WorkerPool.Worker worker) {
        AppContext context = contexts.get(worker.index());
        if (context != null || loadError != null) {
            return context;
        }
        try {
            context = AppContext.load(this, source, worker, services);
        } catch (AppContext.LoadException e) {
            failedToLoad(e.getMessage());
            return null;
        }
        contexts.set(worker.index(), context);
        return context;
    }

    private void failedToLoad(String reason) {
        loadError = reason;
        if (loadReported.compareAndSet(false, true)) {
            stats.error(AppStats.LOAD);
            services.log().error(name(), AppStats.LOAD, "app '" + name() + "' failed to load ("
                    + entry.module() + "): " + reason);
        }
    }

    /**
     * The watchdog stopped a task of this app: counted, logged, and past the CPU limit the app moves to
     * the background workers. Loop thread, once per overrun, before any 503 for it is sent.
     */
    void noteOverrun(Watchdog.Overrun overrun) {
        String kind = overrun.kind() == Watchdog.Overrun.Kind.CPU ? AppStats.CPU_LIMIT : AppStats.MEMORY_LIMIT;
        stats.error(kind);
        boolean demote = DEMOTE && overrun.kind() == Watchdog.Overrun.Kind.CPU;
        if (demote) {
            demote = !demoted();
            demotedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AppLimits.DEMOTION_MS);
        }
        // CPU time is per request (all its tasks), memory per task; a task of no request (a WebSocket
        // message, a timer left by a finished request) has the CPU limit to itself
        String who = overrun.kind() == Watchdog.Overrun.Kind.CPU ? "a request or task " : "a task ";
        services.log().error(name(), kind, who + overrun.describe() + limitKey(overrun)
                + " and was stopped; its context was discarded"
                + (demote ? "; the app now runs on the background workers, off the I/O threads" : ""));
    }

    /** After {@link #noteOverrun}: {@code context}'s open requests get 503, and a new context serves the next. */
    void replaceOverrun(AppContext context, Watchdog.Overrun overrun) {
        contexts.compareAndSet(context.worker().index(), context, null);
        context.discard(overrunAnswer(overrun));
    }

    String overrunAnswer(Watchdog.Overrun overrun) {
        return "Service Unavailable: app '" + name() + "' " + overrun.describe() + limitKey(overrun)
                + " and was stopped\n";
    }

    private static String limitKey(Watchdog.Overrun overrun) {
        return switch (overrun.kind()) {
            case CPU -> " (limits.cpuMs)";
            case MEMORY -> " (limits.memoryMb)";
            case HEAP_PRESSURE, OUT_OF_MEMORY -> "";
        };
    }

    /** Contexts with no request in progress (a snapshot, any thread). */
    List<AppContext> idleContexts() {
        List<AppContext> idle = new ArrayList<>();
        for (int i = 0; i < contexts.length(); i++) {
            AppContext c = contexts.get(i);
            if (c != null && c.idle()) {
                idle.add(c);
            }
        }
        return idle;
    }

    /** Marks the contexts busy now to be closed when their requests are done. Any thread. */
    void evictBusyWhenIdle() {
        for (int i = 0; i < contexts.length(); i++) {
            AppContext c = contexts.get(i);
            if (c != null && !c.idle()) {
                c.evictWhenIdle();
            }
        }
    }

    /**
     * Closes {@code context} on its loop if it is still this app's and still idle there. Any thread.
     * Under heap pressure, a context that took a request meanwhile is closed when that is done: else
     * an app whose requests come back to back (each one arriving before the eviction's turn on the
     * loop) would never be evicted, and keep the memory until the heap ran out.
     */
    void evict(AppContext context, String reason) {
        WorkerPool.Worker worker = context.worker();
        Runnable close = () -> {
            if (!context.idle()) {
                if (reason.equals(AppStats.EVICTED_HEAP)) {
                    context.evictWhenIdle();
                }
            } else if (contexts.compareAndSet(worker.index(), context, null)) {
                stats.evicted(reason);
                context.close();
            }
        };
        worker.loop().execute(close); // a task of its own: never from inside the context's own JS
    }

    /** Evicts the contexts unused for longer than {@code limits.idleMs}. Any thread. */
    void evictIdle(long now) {
        long idleNanos = config.limits().idleNanos();
        for (AppContext c : idleContexts()) {
            if (now - c.lastUsed() > idleNanos) {
                evict(c, AppStats.EVICTED_IDLE);
            }
        }
    }

    private String unavailable() {
        return "Service Unavailable: app '" + name() + "' failed to load; the reason is in the server log\n";
    }

    @Override
    public void handlerFailed(HttpExchange exchange, String formatted) {
        stats.error(AppStats.EXCEPTION);
        services.log().error(name(), AppStats.EXCEPTION, formatted);
        exchange.respondText(500, "Internal Server Error\n");
    }

    @Override
    public void invalidResponse(HttpExchange exchange, String message) {
        stats.error(AppStats.RESPONSE);
        services.log().error(name(), AppStats.RESPONSE, message);
        exchange.respondText(500, "Internal Server Error: " + message + "\n");
    }

    void uncaught(String formatted) {
        stats.error(AppStats.UNCAUGHT);
        services.log().error(name(), AppStats.UNCAUGHT, formatted);
    }

    // ---- lifetime: enter/exit around each request; close once retired and drained ----

    private boolean enter() {
        while (true) {
            int n = inFlight.get();
            if ((n & CLOSED) != 0) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void exit() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            closeIfDrained();
        }
    }

    /** Stops taking requests; the contexts close when the last one in flight has finished. */
    void retire() {
        retired = true;
        closeIfDrained();
    }

    private void closeIfDrained() {
        if (!inFlight.compareAndSet(0, CLOSED)) {
            return;
        }
        for (WorkerPool.Worker worker : services.workers().all()) {
            AppContext context = contexts.getAndSet(worker.index(), null);
            if (context != null) {
                worker.loop().execute(context::close);
            }
        }
    }

    @Override
    public String toString() {
        return "app '" + name() + "' v" + version;
    }
}
