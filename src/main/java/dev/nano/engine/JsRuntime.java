package dev.nano.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import dev.nano.loop.CpuAccount;
import dev.nano.loop.EventLoop;
import dev.nano.loop.Watchdog;

/**
 * One JS context with NANO's globals, bound to an {@link EventLoop}. All calls into the context
 * happen on the loop's thread, so JS in it never runs on two threads at once.
 *
 * <p>With {@link #limit limits} set, every task that calls into JS runs under the loop's
 * {@link Watchdog}: one that passes its CPU time or allocation budget is interrupted (GraalJS stops
 * it at its next safepoint with an exception that JS cannot catch), and the {@link #onOverrun}
 * handler decides what becomes of the context.
 */
public final class JsRuntime implements AutoCloseable, Watchdog.Stoppable {
    private static final Logger LOG = Logger.getLogger(JsRuntime.class.getName());
    /** How long an interrupt may wait for JS to reach a safepoint (a long host call delays it). */
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(10);

    private final NanoEngine engine;
    private final Context context;
    private final EventLoop loop;
    private final Value internal;
    private final ModuleFileSystem files;
    private final BoundConsole console = new BoundConsole();
    private volatile Consumer<String> uncaughtHandler;
    private volatile Watchdog.Budget budget;
    /** Why the watchdog stopped the running task; set before it interrupts. */
    private volatile Watchdog.Overrun overrun;
    /** The request whose task runs now (loop thread); null between tasks and in tasks of no request. */
    private CpuAccount current;
    private Consumer<Watchdog.Overrun> overrunHandler;
    private volatile boolean closed;
    private java.util.Map<Class<?>, Object> services; // made on first provide(): most contexts have none
    private java.util.List<Runnable> closeHooks; // made on first onClose()

    /**
     * @param moduleRoot folder that {@code import}s may read from (the app's folder); null: none
     */
    public JsRuntime(NanoEngine engine, EventLoop loop, Path moduleRoot, ConsoleSink console) {
        this(engine, loop);
        bind(moduleRoot, console);
    }

    /**
     * A spare context: NANO's bootstrap evaluated, no app bound yet. It may be built on another
     * thread than {@code loop}'s (a context is used by one thread at a time, never by two at once);
     * once handed to the loop, {@link #bind} it there before any app code runs in it.
     */
    public static JsRuntime spare(NanoEngine engine, EventLoop loop) {
        return new JsRuntime(engine, loop);
    }

    private JsRuntime(NanoEngine engine, EventLoop loop) {
        this.engine = engine;
        this.loop = loop;
        this.uncaughtHandler = msg -> console.write(ConsoleSink.Level.ERROR, msg);
        this.files = new ModuleFileSystem();
        this.context = Sandbox.newContext(engine.polyglotEngine(), files, engine.sharedWasmMemory());
        this.internal = context.eval("js", "({ __proto__: null })");
        for (Bootstrap.Script script : engine.bootstrap().scripts()) {
            Object ops = script.extension().ops().apply(this);
            context.eval(script.source()).execute(ops, internal);
        }
    }

    /**
     * Gives this context what belongs to the code it will run: the folder its {@code import}s may
     * read (null: none) and where its console output goes. Once per context.
     *
     * @throws IllegalStateException if it was bound already
     */
    public void bind(Path moduleRoot, ConsoleSink sink) {
        files.bind(moduleRoot);
        console.target = sink;
    }

    /** Console output before {@link #bind} (NANO's bootstrap prints nothing) goes nowhere. */
    private static final class BoundConsole implements ConsoleSink {
        volatile ConsoleSink target;

        @Override
        public void write(Level level, String text) {
            ConsoleSink t = target;
            if (t != null) {
                t.write(level, text);
            }
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

    /**
     * From now on, each task in JS may use {@code cpuNanos} of CPU time (plus what is left of
     * {@code cpuGrace}, see {@link Watchdog.Budget}) and allocate {@code allocatedBytes} before it is
     * stopped. Without a watched loop this does nothing.
     */
    public void limit(long cpuNanos, long allocatedBytes, java.util.concurrent.atomic.AtomicLong cpuGrace) {
        this.budget = new Watchdog.Budget(cpuNanos, allocatedBytes, cpuGrace, this);
    }

    /**
     * What to do when the watchdog stopped a task of this context (loop thread, after JS has
     * unwound). Without a handler the context stays as it is (GraalJS leaves it usable).
     */
    public void onOverrun(Consumer<Watchdog.Overrun> handler) {
        this.overrunHandler = handler;
    }

    /**
     * The request whose task runs now, or null: an op that starts work which completes in a later
     * task (a timer, an outgoing fetch, a crypto job) captures it and passes it to
     * {@link #runTask(CpuAccount, Runnable)}, so that the request pays for its own continuations.
     */
    public CpuAccount account() {
        return current;
    }

    /** Why the watchdog stopped the last task it stopped, or null. Any thread. */
    public Watchdog.Overrun overrun() {
        return overrun;
    }

    /** Watchdog thread: interrupts the task running in this context, without blocking the watchdog. */
    @Override
    public void stop(Watchdog.Overrun why) {
        this.overrun = why;
        // Context.interrupt waits until JS reaches a safepoint: the first time it can take ~100 ms
        // in the interpreter, and a long host call delays it. A short-lived thread waits instead.
        Thread.ofPlatform().name("nano-interrupt").daemon(true).start(() -> {
            try {
                context.interrupt(INTERRUPT_WAIT);
            } catch (TimeoutException e) {
                LOG.warning("a JS task over its limit (" + why.describe() + ") did not stop within "
                        + INTERRUPT_WAIT.toSeconds() + " s");
            } catch (IllegalStateException closedMeanwhile) {
                // the context is gone: nothing left to stop
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot interrupt a JS task: " + e, e);
            }
        });
    }

    /**
     * Runs {@code call} (which enters JS) under the watchdog, when limits are set and the loop is
     * watched. Loop thread only; exceptions pass through.
     */
    public <T> T guarded(Supplier<T> call) {
        Watchdog.Slot watch = loop.watch();
        Watchdog.Budget b = budget;
        boolean opened = watch != null && b != null && watch.begin(b);
        try {
            return call.get();
        } finally {
            if (opened) {
                watch.end();
            }
        }
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
        runTask(null, task);
    }

    /**
     * {@link #runTask(Runnable)} for a task of the request whose CPU time {@code account} holds (null:
     * none, or {@link #account()} captured outside a request): the task is charged there, and one
     * whose request has used up the CPU limit is not run but stopped as an overrun.
     */
    public void runTask(CpuAccount account, Runnable task) {
        if (closed) {
            return; // e.g. a timer of a context discarded meanwhile
        }
        Watchdog.Slot watch = loop.watch();
        Watchdog.Budget b = budget;
        CpuAccount outer = current;
        if (account != null && (account.isClosed() || outer != null)) {
            account = null; // a request that is over, or a task run inside another: not charged again
        }
        if (account != null && b != null && watch != null && account.usedNanos() > b.cpuNanos()) {
            // its earlier tasks passed the request's limit between them (none alone ran past it, and
            // the cold-code grace is spent: while it lasts, a request is charged up to the limit only)
            overrun = new Watchdog.Overrun(Watchdog.Overrun.Kind.CPU, account.usedNanos(), b.cpuNanos());
            overran();
            return;
        }
        boolean opened = watch != null && b != null && watch.begin(b, account);
        if (account != null) {
            current = account;
        }
        try {
            task.run();
        } catch (PolyglotException e) {
            if (e.isResourceExhausted() && !e.isInterrupted() && overrunHandler != null) {
                heapExhausted(watch);
            } else if (!e.isInterrupted()) {
                if (e.isCancelled()) {
                    throw e; // the context was closed under us: nothing left to report to
                }
                reportException(e);
            }
        } finally {
            current = outer;
            if (opened) {
                watch.end();
            }
        }
        if (overrun != null && !closed) {
            // Also when the interrupt came too late to land (the task had just ended): the watchdog
            // gave up on this context, and its next task would be stopped for no reason of its own.
            overran();
        }
    }

    /**
     * The heap ran out in this context's task before the watchdog stopped anything (an app can
     * allocate faster than heap pressure is noticed). GraalJS cannot promise the context is still
     * whole, so it is handled as an overrun: replaced, its requests answered 503, and the watchdog
     * told, to evict idle contexts.
     */
    private void heapExhausted(Watchdog.Slot watch) {
        if (overrun == null) {
            overrun = new Watchdog.Overrun(Watchdog.Overrun.Kind.OUT_OF_MEMORY, 0, 0);
        }
        if (watch != null) {
            watch.heapExhausted();
        }
    }

    /** Only the watchdog interrupts contexts: the task that was running passed a limit. */
    private void overran() {
        Watchdog.Overrun why = overrun;
        Consumer<Watchdog.Overrun> handler = overrunHandler;
        if (handler != null) {
            handler.accept(why);
        } else {
            overrun = null; // nobody to replace the context: GraalJS left it usable
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

    public boolean isClosed() {
        return closed;
    }

    /**
     * Takes no more tasks from now on, closes once the loop is free of the current one, then runs
     * {@code afterClose}. Loop thread.
     */
    public void discard(Runnable afterClose) {
        closed = true;
        loop.execute(() -> {
            try {
                close();
            } finally {
                afterClose.run();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        if (closeHooks != null) {
            java.util.List<Runnable> hooks = closeHooks;
            closeHooks = null;
            for (Runnable hook : hooks) {
                hook.run();
            }
        }
        context.close(true);
    }
}
