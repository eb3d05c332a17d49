package dev.nano.apps;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.graalvm.polyglot.Source;

import dev.nano.ext.cache.AppCache;
import dev.nano.ext.http.HttpExchange;
import dev.nano.ext.http.HttpOps;

/**
 * One loaded version of an app: its config, its entry module (read once, so every context of this
 * version runs the same code), and at most one context per worker thread, created lazily on the
 * first request that lands there. A reload makes a new version; the old one is {@link #retire()
 * retired} and closes its contexts once its last request (and {@code waitUntil} work) has finished.
 */
public final class App implements HttpOps.Failures {
    public enum Status { READY, FAILED, RETIRED }

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
    private final AtomicBoolean loadReported = new AtomicBoolean();
    private volatile String loadError;
    private volatile boolean retired;

    App(AppConfig config, int version, AppServices services, AppStats stats) throws ConfigException {
        this(config, version, services, stats, new AppCache(config.cache()));
    }

    /** @param cache the app's Cache API store, shared by its versions (see {@link dev.nano.ext.cache.CacheRegistry}) */
    App(AppConfig config, int version, AppServices services, AppStats stats, AppCache cache) throws ConfigException {
        this.config = config;
        this.cache = cache;
        this.version = version;
        this.services = services;
        this.stats = stats;
        this.entry = AppEntry.resolve(config.path());
        try {
            this.source = Source.newBuilder("js", entry.module().toFile())
                    .mimeType("application/javascript+module")
                    .build();
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
        // On an I/O thread that is a worker (the server's case), the request runs right here: no
        // hand-off to another thread. Elsewhere (tests, other callers) the least busy worker takes it.
        WorkerPool.Worker here = services.workers().current();
        WorkerPool.Worker worker = here != null ? here : services.workers().pick(this);
        worker.enter();
        HttpExchange tracked = new TrackedExchange(exchange, this, worker);
        worker.loop().executeNow(() -> run(worker, tracked));
        return true;
    }

    private void run(WorkerPool.Worker worker, HttpExchange exchange) {
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

    /** Loads this version on one worker now, so that start-up and reloads see load errors at once. */
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
