package dev.nano.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.graalvm.polyglot.Value;

import dev.nano.engine.ConsoleSink;
import dev.nano.engine.JsRuntime;
import dev.nano.engine.NanoEngine;
import dev.nano.loop.EventLoop;

/**
 * Runs JS in a fresh NANO context for a test: evaluates a module, runs the event loop until idle,
 * and collects what the script printed and what it left uncaught.
 */
public final class JsHarness implements AutoCloseable {
    private static final NanoEngine ENGINE = new NanoEngine();
    private static NanoEngine sharedWasmEngine; // made on first use: most test runs never need it

    private final EventLoop loop = new EventLoop();
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final List<String> uncaught = new ArrayList<>();
    private final JsRuntime runtime;

    public JsHarness() {
        this(null);
    }

    public JsHarness(Path moduleRoot) {
        this(ENGINE, moduleRoot);
    }

    /** A context on {@code engine}, e.g. {@link #sharedWasmEngine()}. */
    public JsHarness(NanoEngine engine, Path moduleRoot) {
        ConsoleSink sink = (level, text) -> {
            if (level == ConsoleSink.Level.WARN || level == ConsoleSink.Level.ERROR) {
                stderr.add(text);
            } else {
                stdout.add(text);
            }
        };
        runtime = new JsRuntime(engine, loop, moduleRoot, sink);
        runtime.onUncaught(uncaught::add);
    }

    /** Runs {@code code} as a module in a fresh context; fails if it left an error uncaught. Returns stdout. */
    public static String runChecked(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(code);
            org.junit.jupiter.api.Assertions.assertEquals("[]", js.uncaught().toString());
            return out;
        }
    }

    public static NanoEngine engine() {
        return ENGINE;
    }

    /** An engine as {@code nano serve --wasm-shared-memory} builds it (one per test JVM). */
    public static synchronized NanoEngine sharedWasmEngine() {
        if (sharedWasmEngine == null) {
            sharedWasmEngine = new NanoEngine(true);
        }
        return sharedWasmEngine;
    }

    /** Evaluates {@code code} as a module, runs the loop until idle, returns stdout lines joined by \n. */
    public String run(String code) {
        loop.execute(() -> runtime.runTask(() -> runtime.evalModule(code, "/test/main.js")));
        loop.runUntilIdle();
        return String.join("\n", stdout);
    }

    /** Evaluates a script expression (not a module) and returns its value; the loop is not run. */
    public Value eval(String expression) {
        return runtime.context().eval("js", expression);
    }

    public List<String> stdout() {
        return stdout;
    }

    public List<String> stderr() {
        return stderr;
    }

    /** Uncaught exceptions and unhandled rejections, as formatted for the operator. */
    public List<String> uncaught() {
        return uncaught;
    }

    public JsRuntime runtime() {
        return runtime;
    }

    public EventLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        runtime.close();
    }
}
