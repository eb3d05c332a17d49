package dev.nano.jmh;

import dev.nano.engine.NanoEngine;

/**
 * Benchmarks run with the Graal JIT (bench/jmh.sh passes the launcher's JVM flags to JMH's forks):
 * figures from the interpreter fallback would be 10-20x off. {@code -Dnano.bench.interpreted=true}
 * (bench/jmh.sh with {@code NANO_JIT=0}) asks for that fallback on purpose.
 */
public final class Jit {
    private Jit() {}

    public static void check(NanoEngine engine) {
        boolean interpretedWanted = Boolean.getBoolean("nano.bench.interpreted");
        if (engine.isOptimizing() == interpretedWanted) {
            throw new IllegalStateException((interpretedWanted ? "asked for an interpreted run, but " : "")
                    + engine.describeRuntime() + "; run the benchmarks through bench/jmh.sh");
        }
    }
}
