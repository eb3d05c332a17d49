package dev.nano.apps;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsErrors;
import dev.nano.engine.JsRuntime;
import dev.nano.ext.cache.AppCache;
import dev.nano.ext.http.HttpExchange;
import dev.nano.ext.http.HttpOps;

/**
 * One app version's JS context on one worker: the app's module evaluated once, its handler installed,
 * its console output and uncaught errors going to the log tagged with the app. Loop thread only.
 */
final class AppContext implements AutoCloseable {
    /** The app's module did not load: a syntax error, a throw at top level, or no fetch handler. */
    static final class LoadException extends Exception {
        LoadException(String reason) {
            super(reason, null, false, false);
        }
    }

    private final JsRuntime runtime;
    private final HttpOps ops;

    private AppContext(JsRuntime runtime, HttpOps ops) {
        this.runtime = runtime;
        this.ops = ops;
    }

    static AppContext load(App app, Source module, WorkerPool.Worker worker, AppServices services) throws LoadException {
        JsRuntime runtime;
        try {
            runtime = new JsRuntime(services.engine(), worker.loop(), app.entry().root(),
                    services.log().consoleOf(app.name()));
        } catch (PolyglotException e) {
            throw new LoadException("NANO's bootstrap failed: " + JsErrors.format(e));
        }
        try {
            runtime.onUncaught(app::uncaught);
            runtime.provide(AppCache.class, app.cache());
            HttpOps ops = HttpOps.of(runtime);
            ops.onFailures(app);
            Value namespace = runtime.context().eval(module);
            String error = ops.install(namespace, app.config().envJson());
            if (error != null) {
                throw new LoadException(error);
            }
            return new AppContext(runtime, ops);
        } catch (PolyglotException e) {
            String reason = JsErrors.format(e); // before closing: the error's stack lives in the context
            runtime.close();
            throw new LoadException(reason);
        } catch (LoadException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    void handle(HttpExchange exchange) {
        runtime.runTask(() -> ops.dispatch(exchange));
    }

    @Override
    public void close() {
        runtime.close();
    }
}
