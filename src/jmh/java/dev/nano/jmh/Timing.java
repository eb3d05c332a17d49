package dev.nano.jmh;

/**
 * How long every benchmark warms up and measures. The warm-up is long because the Graal JIT starts
 * cold in each fork: on this 2-core machine under load (average 8-13), a Headers.get loop and a whole
 * hello-world dispatch were steady after 30 s, but promise- and stream-heavy paths (body reads,
 * Response.json, a POST through the server) were still getting faster then, as ARCHITECTURE.md's
 * "time to full speed" (13-40 s) says.
 * JMH's own options ({@code -wi -w -i -r -f}) override these.
 */
public final class Timing {
    public static final int WARMUP_ITERATIONS = 12;
    public static final int WARMUP_SECONDS = 5;
    public static final int ITERATIONS = 5;
    public static final int SECONDS = 2;

    private Timing() {}
}
