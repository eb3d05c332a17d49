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
 * The Headers class in an app's context: construction from a 10-field object, get, set, append and
 * iteration; get and iteration beside the same operation on a JS {@code Map} of the same fields (the
 * baseline a ratio is taken against). Each invocation does the operation {@link #N} times in JS, so the
 * Java-to-JS call and the loop turn around it weigh little.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = Timing.WARMUP_ITERATIONS, time = Timing.WARMUP_SECONDS)
@Measurement(iterations = Timing.ITERATIONS, time = Timing.SECONDS)
@Fork(1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeadersBench {
    static final int N = 100;

    static final String MODULE = """
            const INIT = {
              'content-type': 'application/json', accept: '*/*', 'user-agent': 'bench/1.0',
              'accept-encoding': 'gzip, br', 'accept-language': 'en-US,en;q=0.9', 'cache-control': 'no-cache',
              'x-request-id': '4f1c2a9e-0b7d-4e61-9a52-7c3d8e1f6a20', authorization: 'Bearer abc.def.ghi',
              cookie: 'session=abc; theme=dark', referer: 'https://example.com/page',
            };
            const NAMES = Object.keys(INIT);
            const headers = new Headers(INIT);
            const map = new Map(Object.entries(INIT));

            export function construct(n) {
              let s = 0;
              for (let i = 0; i < n; i++) s += new Headers(INIT).has('cookie') ? 1 : 0;
              return s;
            }
            export function get(n) {
              let s = 0;
              for (let i = 0; i < n; i++) s += headers.get(NAMES[i % 10]).length;
              return s;
            }
            export function getMap(n) {
              let s = 0;
              for (let i = 0; i < n; i++) s += map.get(NAMES[i % 10]).length;
              return s;
            }
            export function set(n) {
              for (let i = 0; i < n; i++) headers.set(NAMES[i % 10], (i & 1) === 0 ? 'a' : 'b');
              return headers.get('accept').length;
            }
            // n appends to one empty Headers (10 names, so values combine as the list grows)
            export function append(n) {
              const h = new Headers();
              for (let i = 0; i < n; i++) h.append(NAMES[i % 10], 'v');
              return h.get('accept').length;
            }
            // one op: a for-of over all 10 fields (the spec sorts and combines them)
            export function iterate(n) {
              let s = 0;
              for (let i = 0; i < n; i++) for (const [k, v] of headers) s += k.length + v.length;
              return s;
            }
            export function iterateMap(n) {
              let s = 0;
              for (let i = 0; i < n; i++) for (const [k, v] of map) s += k.length + v.length;
              return s;
            }
            """;

    private JsBench js;
    private Value construct, get, getMap, set, append, iterate, iterateMap;

    @Setup
    public void setUp() {
        js = new JsBench(MODULE);
        construct = js.function("construct");
        get = js.function("get");
        getMap = js.function("getMap");
        set = js.function("set");
        append = js.function("append");
        iterate = js.function("iterate");
        iterateMap = js.function("iterateMap");
        check(js.number(construct, 3) == 3, "new Headers(10 fields) has cookie");
        check(js.number(get, 10) == js.number(getMap, 10), "get sees the same values as the Map");
        check(js.number(iterate, 1) == js.number(iterateMap, 1), "iteration sees the same fields as the Map");
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark self-check failed: " + what);
        }
    }

    @TearDown
    public void tearDown() {
        js.close();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double construct10Fields() {
        return js.number(construct, N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double get() {
        return js.number(get, N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double getMapBaseline() {
        return js.number(getMap, N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double set() {
        return js.number(set, N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double append() {
        return js.number(append, N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double iterate10Fields() {
        return js.number(iterate, N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double iterate10FieldsMapBaseline() {
        return js.number(iterateMap, N);
    }
}
