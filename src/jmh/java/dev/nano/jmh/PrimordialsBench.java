package dev.nano.jmh;

import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.Value;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Why Headers.get costs what it does: NANO's runtime JS calls built-ins through primordials made with
 * {@code uncurryThis = Function.prototype.bind.bind(Function.prototype.call)} (ext/core/00_primordials.js),
 * e.g. {@code StringPrototypeCharCodeAt(s, i)} in the header name and value checks. Here the same loop
 * over the 10 header names of {@link HeadersBench}, summing char codes, once through a primordial made
 * that way and once with {@code s.charCodeAt(i)}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = Timing.WARMUP_ITERATIONS, time = Timing.WARMUP_SECONDS)
@Measurement(iterations = Timing.ITERATIONS, time = Timing.SECONDS)
@Fork(1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PrimordialsBench {
    static final int N = 100;

    static final String MODULE = """
            const uncurryThis = Function.prototype.bind.bind(Function.prototype.call);
            const StringPrototypeCharCodeAt = uncurryThis(String.prototype.charCodeAt);
            const NAMES = ['content-type', 'accept', 'user-agent', 'accept-encoding', 'accept-language',
              'cache-control', 'x-request-id', 'authorization', 'cookie', 'referer'];
            function sumPrimordial(s) {
              let x = 0;
              for (let i = 0; i < s.length; i++) x += StringPrototypeCharCodeAt(s, i);
              return x;
            }
            function sumDirect(s) {
              let x = 0;
              for (let i = 0; i < s.length; i++) x += s.charCodeAt(i);
              return x;
            }
            export function primordial(n) { let t = 0; for (let i = 0; i < n; i++) t += sumPrimordial(NAMES[i % 10]); return t; }
            export function direct(n) { let t = 0; for (let i = 0; i < n; i++) t += sumDirect(NAMES[i % 10]); return t; }
            """;

    private JsBench js;
    private Value primordial, direct;

    @Setup
    public void setUp() {
        js = new JsBench(MODULE);
        primordial = js.function("primordial");
        direct = js.function("direct");
        HeadersBench.check(js.number(primordial, 10) == js.number(direct, 10), "both loops sum the same codes");
    }

    @TearDown
    public void tearDown() {
        js.close();
    }

    /** One op: the char codes of one header name, through the primordial. */
    @Benchmark
    @OperationsPerInvocation(N)
    public double charCodeAtPrimordial() {
        return js.number(primordial, N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double charCodeAtDirectBaseline() {
        return js.number(direct, N);
    }
}
