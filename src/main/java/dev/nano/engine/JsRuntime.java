package dev.nano.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import dev.nano.loop.EventLoop;

/**
 * One JS context with NANO's globals, bound to an {@link EventLoop}. All calls into the context
 * happen on the loop's thread, so JS in it never runs on two threads at once.
 */
public final class JsRuntime implements AutoCloseable {
    private final NanoEngine engine;
    private final Context context;
    private final EventLoop loop;
    private final Value internal;
    private final ConsoleSink console;
    private volatile Consumer<String> uncaughtHandler;
    private java.util.Map<Class<?>, Object> services; // made on first provide(): most contexts have none
    private java.util.List<Runnable> closeHooks; // made on first onClose()

    /**
     * @param moduleRoot folder that {@code import}s may read from (the app's folder); null: none
     */
    public JsRuntime(NanoEngine engine, EventLoop loop, Path moduleRoot, ConsoleSink console) {
        this.engine = engine;
        this.loop = loop;
        this.console = console;
        this.uncaughtHandler = msg -> console.write(ConsoleSink.Level.ERROR, msg);
        this.context = Sandbox.newContext(engine.polyglotEngine(), moduleRoot);
        this.internal = context.eval("js", "({ __proto__: null })");
        for (Bootstrap.Script script : engine.bootstrap().scripts()) {
            Object ops = script.extension().ops().apply(this);
            context.eval(script.source()).execute(ops, internal);
        }
    }

    public EventLoop loop() {
        return loop;
    }

    public ConsoleSink console() {
        return console;
    }

    public NanoEngine engine() {
        return engine;
    }

    public Context context() {
        return context;
    }

    /** NANO's private bootstrap object: what extensions exported for Java and for each other. */
    public Value internal() {
        return internal;
    }

    /**
     * Hands extensions something their owner knows and they do not, e.g. the store of the app this
     * context runs (ext/cache). Set before the app's code runs; loop thread only.
     */
    public <T> void provide(Class<T> type, T service) {
        if (services == null) {
            services = new java.util.HashMap<>(4);
        }
        services.put(type, service);
    }

    /** What {@link #provide} gave for {@code type}, or null. */
    public <T> T service(Class<T> type) {
        return services == null ? null : type.cast(services.get(type));
    }

    /** Runs {@code hook} on the loop thread when this context closes (e.g. to close its WebSockets). */
    public void onClose(Runnable hook) {
        if (closeHooks == null) {
            closeHooks = new java.util.ArrayList<>(2);
        }
        closeHooks.add(hook);
    }

    /** Where uncaught exceptions and unhandled rejections go once JS did not handle them. */
    public void onUncaught(Consumer<String> handler) {
        this.uncaughtHandler = handler;
    }

    /** Called by JS (through the core ops) with the formatted error that nothing handled. */
    public void uncaught(String formatted) {
        uncaughtHandler.accept(formatted);
    }

    /** Evaluates an ES module file and returns its namespace object. Loop thread only. */
    public Value evalModule(Path file) {
        try {
            Source source = Source.newBuilder("js", file.toFile())
                    .mimeType("application/javascript+module")
                    .build();
            return context.eval(source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Evaluates module code given as text (e.g. from stdin) under {@code name}. Loop thread only. */
    public Value evalModule(String code, String name) {
        Source source = Source.newBuilder("js", code, name)
                .mimeType("application/javascript+module")
                .buildLiteral();
        return context.eval(source);
    }

    /** Evaluates a classic script (not a module), e.g. a test harness. Loop thread only. */
    public Value evalScript(String code, String name) {
        return context.eval(Source.newBuilder("js", code, name).buildLiteral());
    }

    /**
     * Runs a task on this context from the loop thread: an exception that escapes JS is reported as
     * uncaught instead of killing the loop.
     */
    public void runTask(Runnable task) {
        try {
            task.run();
        } catch (PolyglotException e) {
            if (e.isCancelled()) {
                throw e; // the context was closed under us: nothing left to report to
            }
            reportException(e);
        }
    }

    /**
     * HTML "report an exception" for an error that escaped JS into Java (e.g. thrown by a module's
     * top level): JS dispatches an {@code error} event that a listener may cancel, else reports it.
     */
    private void reportException(PolyglotException e) {
        if (e.isGuestException() && !e.isSyntaxError() && !JsErrors.isRefusedImport(e)) {
            Value report = internal.getMember("reportException");
            if (report != null && report.canExecute()) {
                try {
                    report.executeVoid(e.getGuestObject());
                    return;
                } catch (PolyglotException reportFailed) {
                    // fall through to the plain Java formatting
                }
            }
        }
        uncaught(e.isSyntaxError() ? JsErrors.format(e) : "Uncaught " + JsErrors.format(e));
    }

    @Override
    public void close() {
        if (closeHooks != null) {
            for (Runnable hook : closeHooks) {
                hook.run();
            }
            closeHooks = null;
        }
        context.close(true);
    }
}
