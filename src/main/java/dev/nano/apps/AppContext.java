package dev.nano.apps;

import java.util.ArrayList;
import java.util.List;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsErrors;
import dev.nano.engine.JsRuntime;
import dev.nano.ext.fetch.FetchOps;
import dev.nano.ext.cache.AppCache;
import dev.nano.ext.http.HttpExchange;
import dev.nano.ext.http.HttpOps;
import dev.nano.ext.websocket.WebSocketOps;
import dev.nano.loop.Watchdog;

/**
 * One app version's JS context on one worker: the app's module evaluated once, its handler installed,
 * its console output and uncaught errors going to the log tagged with the app, its tasks under the
 * app's CPU and memory limits. It knows the requests it is handling, so that when it is discarded
 * (a task passed a limit) none of them is left waiting. Loop thread only, except the volatile fields.
 */
final class AppContext implements AutoCloseable, HttpOps.Failures {
    /** The app's module did not load: a syntax error, a throw at top level, or no fetch handler. */
    static final class LoadException extends Exception {
        LoadException(String reason) {
            super(reason, null, false, false);
        }
    }

    private final App app;
    private final WorkerPool.Worker worker;
    private final JsRuntime runtime;
    private final HttpOps ops;
    private final WebSocketOps webSockets;
    /**
     * The requests in progress here, linked through their own fields (no hashing or node per request):
     * newest first.
     */
    private TrackedExchange open;
    /** When the context last started or finished a request (System.nanoTime()); read by eviction. */
    private volatile long lastUsed = System.nanoTime();
    private Watchdog.Overrun noted; // the last overrun the app was told of (loop thread)
    private volatile int openCount;
    /** Heap pressure found this context busy: close it once its requests are done. */
    private volatile boolean evictWhenIdle;

    private AppContext(App app, WorkerPool.Worker worker, JsRuntime runtime, HttpOps ops) {
        this.app = app;
        this.worker = worker;
        this.runtime = runtime;
        this.ops = ops;
        this.webSockets = WebSocketOps.of(runtime);
    }

    static AppContext load(App app, Source module, WorkerPool.Worker worker, AppServices services) throws LoadException {
        AppLimits limits = app.config().limits();
        JsRuntime runtime = newRuntime(app, worker, services);
        try {
            runtime.onUncaught(app::uncaught);
            runtime.provide(AppCache.class, app.cache());
            HttpOps ops = HttpOps.of(runtime);
            FetchOps.of(runtime).configure(app.config().fetch(), new FetchOps.RequestScope() {
                @Override public int openRequests() { return ops.openCount(); }
                @Override public long dispatchedRequests() { return ops.dispatchedCount(); }
            });
            runtime.limit(limits.loadCpuNanos(services.engine().isOptimizing()), limits.allocatedBytes(), null);
            ops.useEnv(app.config().envJson()); // before the module: its top level may import env
            Value namespace = runtime.guarded(() -> runtime.context().eval(module));
            String error = ops.install(namespace, app.config().envJson());
            if (error != null) {
                throw new LoadException(error);
            }
            AppContext context = new AppContext(app, worker, runtime, ops);
            ops.onFailures(context);
            runtime.limit(limits.cpuNanos(services.engine().isOptimizing()), limits.allocatedBytes(), app.cpuGrace());
            runtime.onOverrun(context::overran);
            return context;
        } catch (PolyglotException e) {
            String reason = e.isInterrupted() && runtime.overrun() != null
                    ? "its top-level code " + runtime.overrun().describe() + " and was stopped"
                    : JsErrors.format(e); // before closing: the error's stack lives in the context
            runtime.close();
            throw new LoadException(reason);
        } catch (LoadException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** A spare context bound to {@code app} if the worker has one ready, else a new one. */
    private static JsRuntime newRuntime(App app, WorkerPool.Worker worker, AppServices services) throws LoadException {
        LimitedConsole console = new LimitedConsole(services.log().consoleOf(app.name()),
                app.config().limits().consoleBytes(), worker.loop().watch());
        JsRuntime spare = services.spares() == null ? null : services.spares().take(worker);
        if (spare != null) {
            spare.bind(app.entry().root(), console);
            return spare;
        }
        try {
            return new JsRuntime(services.engine(), worker.loop(), app.entry().root(), console);
        } catch (PolyglotException e) {
            throw new LoadException("NANO's bootstrap failed: " + JsErrors.format(e));
        }
    }

    void handle(TrackedExchange exchange) {
        lastUsed = System.nanoTime();
        exchange.nextOpen = open;
        if (open != null) {
            open.prevOpen = exchange;
        }
        open = exchange;
        openCount++;
        exchange.runsIn(this);
        runtime.runTask(exchange, () -> ops.dispatch(exchange));
    }

    /** {@code exchange} has finished, its {@code waitUntil} work included. */
    void finished(TrackedExchange exchange) {
        if (exchange.context() != this) {
            return;
        }
        TrackedExchange prev = exchange.prevOpen;
        TrackedExchange next = exchange.nextOpen;
        if (prev != null) {
            prev.nextOpen = next;
        } else if (open == exchange) {
            open = next;
        } else {
            return; // not (or no longer) linked here
        }
        if (next != null) {
            next.prevOpen = prev;
        }
        exchange.prevOpen = null;
        exchange.nextOpen = null;
        exchange.close(); // timers it left behind no longer count against it
        openCount--;
        lastUsed = System.nanoTime();
        if (idle() && evictWhenIdle) {
            app.evict(this, AppStats.EVICTED_HEAP);
        }
    }

    /** Marks this context to be closed when its last request is done. Any thread. */
    void evictWhenIdle() {
        evictWhenIdle = true;
    }

    /** No request in progress and no WebSocket open (a snapshot from any thread). */
    boolean idle() {
        return openCount == 0 && webSockets.openCount() == 0;
    }

    long lastUsed() {
        return lastUsed;
    }

    WorkerPool.Worker worker() {
        return worker;
    }

    @Override
    public void handlerFailed(HttpExchange exchange, String formatted) {
        Watchdog.Overrun overrun = runtime.overrun();
        if (overrun != null) { // the watchdog stopped the handler: not the app's exception
            noteOnce(overrun); // counted, logged and demoted before the client can see the 503
            exchange.respondText(503, app.overrunAnswer(overrun));
            return;
        }
        app.handlerFailed(exchange, formatted);
    }

    @Override
    public void invalidResponse(HttpExchange exchange, String message) {
        app.invalidResponse(exchange, message);
    }

    /** The watchdog stopped a task of this context; JS has unwound. */
    private void overran(Watchdog.Overrun overrun) {
        noteOnce(overrun);
        app.replaceOverrun(this, overrun);
    }

    /** Tells the app about {@code overrun} once, whichever of the two paths above sees it first. Loop thread. */
    private void noteOnce(Watchdog.Overrun overrun) {
        if (noted != overrun) {
            noted = overrun;
            app.noteOverrun(overrun);
        }
    }

    /**
     * Closes the context, then answers every request that was open here with 503 {@code text}. In
     * that order: a client that retries at once must not find the heap still held by this context
     * (after an out-of-memory stop, a retry on another worker could run out of memory too).
     */
    void discard(String text) {
        List<TrackedExchange> all = new ArrayList<>();
        for (TrackedExchange e = open; e != null; e = e.nextOpen) {
            all.add(e);
        }
        runtime.discard(() -> {
            for (TrackedExchange exchange : all) {
                exchange.respondText(503, text);
                exchange.done();
            }
        });
    }

    @Override
    public void close() {
        runtime.close();
    }
}
