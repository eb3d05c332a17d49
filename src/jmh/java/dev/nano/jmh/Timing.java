package dev.nano.jmh;

/**
 * How long every benchmark warms up and measures. The warm-up is long because the Graal JIT starts
 * cold in each fork: on this 2-core machine under load, JS took 20-30 s to reach a steady speed
 * (a Headers.get loop, a whole hello-world dispatch), as ARCHITECTURE.md's "time to full speed" says.
 * JMH's own options ({@code -wi -w -i -r -f}) override these.
 */
public final class Timing {
    public static final int WARMUP_ITERATIONS = 6;
    public static final int WARMUP_SECONDS = 5;
    public static final int ITERATIONS = 5;
    public static final int SECONDS = 2;

    private Timing() {}
}
