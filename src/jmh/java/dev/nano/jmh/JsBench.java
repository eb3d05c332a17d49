package dev.nano.jmh;

import java.util.ArrayList;
import java.util.List;

import org.graalvm.polyglot.Value;

import dev.nano.engine.ConsoleSink;
import dev.nano.engine.JsRuntime;
import dev.nano.engine.NanoEngine;
import dev.nano.loop.EventLoop;

/**
 * One real NANO context (the server's engine, sandbox and whole bootstrap) on its own event loop,
 * run by the JMH thread the way {@code nano run} and the tests run theirs: each call is a task posted
 * to the loop, then the loop runs until idle, so promises settle as they do in an app. The benchmark
 * module exports functions {@code (n) => value} (or a promise of one) that do their operation
 * {@code n} times; {@link #call} runs one and returns what it settled with.
 */
public final class JsBench implements AutoCloseable {
    /** What runs each benchmark function and keeps what its promise settled with. */
    private static final String RUNNER = """
            let settled = false, value, error;
            const ok = (v) => { settled = true; value = v; };
            const bad = (e) => { settled = true; error = e; };
            export function __start(fn, n) {
              settled = false; value = undefined; error = undefined;
              const r = fn(n);
              if (r !== null && typeof r === 'object' && typeof r.then === 'function') r.then(ok, bad);
              else ok(r);
            }
            export function __take() {
              if (!settled) throw new Error('the benchmark function did not settle once its loop ran idle');
              if (error !== undefined) throw error;
              return value;
            }
            """;

    private final NanoEngine engine;
    private final EventLoop loop = new EventLoop();
    private final JsRuntime runtime;
    private final List<String> problems = new ArrayList<>();
    private final Value start;
    private final Value take;
    private final Value module;

    /** Evaluates {@code moduleCode} (an ES module that exports the benchmark functions) in a new context. */
    public JsBench(String moduleCode) {
        engine = new NanoEngine();
        Jit.check(engine);
        ConsoleSink sink = (level, text) -> {
            if (level == ConsoleSink.Level.WARN || level == ConsoleSink.Level.ERROR) {
                problems.add(text);
            }
        };
        runtime = new JsRuntime(engine, loop, null, sink);
        runtime.onUncaught(problems::add);
        Value[] ns = new Value[1];
        loop.execute(() -> runtime.runTask(() -> ns[0] = runtime.evalModule(moduleCode + "\n" + RUNNER, "/bench/main.js")));
        loop.runUntilIdle();
        failOnProblems();
        module = ns[0];
        start = module.getMember("__start");
        take = module.getMember("__take");
    }

    /** The exported function {@code name}, to pass to {@link #call}. */
    public Value function(String name) {
        Value fn = module.getMember(name);
        if (fn == null || !fn.canExecute()) {
            throw new IllegalArgumentException("the benchmark module exports no function '" + name + "'");
        }
        return fn;
    }

    /** Runs {@code fn(n)} as a task on the context's loop, runs the loop until idle, returns the settled value. */
    public Value call(Value fn, int n) {
        loop.execute(() -> runtime.runTask(() -> start.executeVoid(fn, n)));
        loop.runUntilIdle();
        failOnProblems();
        // This thread is the only one that runs the loop, and no task is in progress: reading the
        // result here is what a task would do, without another trip through the queue.
        return take.execute();
    }

    /** {@link #call} for a function whose result is a number (what the benchmarks return to JMH). */
    public double number(Value fn, int n) {
        return call(fn, n).asDouble();
    }

    private void failOnProblems() {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the benchmark's JS failed: " + String.join("\n", problems));
        }
    }

    @Override
    public void close() {
        runtime.close();
        engine.close();
    }
}
