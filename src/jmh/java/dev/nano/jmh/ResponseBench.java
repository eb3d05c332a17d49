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
 * Creating the Response an app returns: from a string (hello world), {@code Response.json} of a
 * 10-field object (beside {@code JSON.stringify} of it alone, its floor), and from a 1 KiB
 * Uint8Array with two headers. Creation only: what the server then does with a Response is in
 * {@code DispatchBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = Timing.WARMUP_ITERATIONS, time = Timing.WARMUP_SECONDS)
@Measurement(iterations = Timing.ITERATIONS, time = Timing.SECONDS)
@Fork(1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResponseBench {
    static final int N = 20;

    static final String MODULE = """
            const OBJ = {
              id: 12345, name: 'NANO', ok: true, score: 98.6, tags: ['a', 'b', 'c'],
              owner: { id: 7, login: 'nano' }, created: '2026-11-21T12:00:00Z', count: 42,
              path: '/api/items/12345', note: null,
            };
            const BYTES = new Uint8Array(1024).fill(120);
            const INIT = { headers: { 'content-type': 'application/octet-stream', 'cache-control': 'max-age=60' } };

            export function fromString(n) {
              let s = 0;
              for (let i = 0; i < n; i++) s += new Response('Hello World\\n').status;
              return s;
            }
            export function json(n) {
              let s = 0;
              for (let i = 0; i < n; i++) s += Response.json(OBJ).status;
              return s;
            }
            export function stringifyBaseline(n) {
              let s = 0;
              for (let i = 0; i < n; i++) s += JSON.stringify(OBJ).length;
              return s;
            }
            export function fromBytesWithHeaders(n) {
              let s = 0;
              for (let i = 0; i < n; i++) s += new Response(BYTES, INIT).status;
              return s;
            }
            // self-check: what the created responses would send
            export async function check() {
              const a = await new Response('Hello World\\n').text();
              const b = await Response.json(OBJ).json();
              const c = new Response(BYTES, INIT);
              return a === 'Hello World\\n' && b.owner.login === 'nano'
                && c.headers.get('cache-control') === 'max-age=60' && (await c.arrayBuffer()).byteLength === 1024;
            }
            """;

    private JsBench js;
    private Value fromString, json, stringify, fromBytes;

    @Setup
    public void setUp() {
        js = new JsBench(MODULE);
        fromString = js.function("fromString");
        json = js.function("json");
        stringify = js.function("stringifyBaseline");
        fromBytes = js.function("fromBytesWithHeaders");
        HeadersBench.check(js.call(js.function("check"), 1).asBoolean(), "the responses carry what they were made from");
        HeadersBench.check(js.number(json, 2) == 400, "Response.json answers 200");
    }

    @TearDown
    public void tearDown() {
        js.close();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double newResponseString() {
        return js.number(fromString, N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double responseJson() {
        return js.number(json, N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double jsonStringifyBaseline() {
        return js.number(stringify, N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double newResponseBytesWithHeaders() {
        return js.number(fromBytes, N);
    }
}
