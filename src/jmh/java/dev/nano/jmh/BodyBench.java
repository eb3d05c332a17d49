package dev.nano.jmh;

import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.Value;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a request body in an app's context, 1 KiB and 64 KiB: {@code text()}, {@code arrayBuffer()}
 * and {@code json()} of a POST Request made from a Uint8Array, and a ReadableStream of 1 KiB chunks
 * read chunk by chunk with a reader. Each op makes the Request and awaits the read; beside them,
 * {@code TextDecoder.decode} of the same bytes, the floor of text().
 * The server's own request bodies (whole and streamed from the socket) are read in {@code DispatchBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = Timing.WARMUP_ITERATIONS, time = Timing.WARMUP_SECONDS)
@Measurement(iterations = Timing.ITERATIONS, time = Timing.SECONDS)
@Fork(1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BodyBench {
    @Param({"1024", "65536"})
    public int size;

    static final String MODULE = """
            const URL_ = 'http://bench.local/upload';
            let BYTES, JSON_BYTES, CHUNK, CHUNKS;
            const decoder = new TextDecoder();
            export function init(size) {
              BYTES = new Uint8Array(size).fill(120); // 'x'
              // a JSON array of strings, exactly `size` bytes
              const items = [];
              let length = 2;
              while (length + 20 < size) { items.push('abcdefghijklmnop'); length += 19; }
              let json = JSON.stringify(items);
              json = json.slice(0, -1) + (items.length ? ',' : '') + '"' + 'y'.repeat(size - json.length - (items.length ? 3 : 2)) + '"]';
              JSON_BYTES = new TextEncoder().encode(json);
              CHUNK = new Uint8Array(1024).fill(120);
              CHUNKS = size / 1024;
              return JSON_BYTES.length;
            }
            const post = (body) => new Request(URL_, { method: 'POST', body, duplex: 'half' });

            export async function text() { return (await post(BYTES).text()).length; }
            export async function arrayBuffer() { return (await post(BYTES).arrayBuffer()).byteLength; }
            export async function json() { return (await post(JSON_BYTES).json()).length; }
            export async function streamChunks() {
              let sent = 0;
              const stream = new ReadableStream({
                pull(c) { if (sent++ < CHUNKS) c.enqueue(CHUNK); else c.close(); },
              });
              const reader = post(stream).body.getReader();
              let bytes = 0;
              for (;;) {
                const { done, value } = await reader.read();
                if (done) return bytes;
                bytes += value.byteLength;
              }
            }
            export function decodeBaseline() { return decoder.decode(BYTES).length; }
            """;

    private JsBench js;
    private Value text, arrayBuffer, json, streamChunks, decode;

    @Setup
    public void setUp() {
        js = new JsBench(MODULE);
        HeadersBench.check(js.number(js.function("init"), size) == size, "the JSON body is " + size + " bytes");
        text = js.function("text");
        arrayBuffer = js.function("arrayBuffer");
        json = js.function("json");
        streamChunks = js.function("streamChunks");
        decode = js.function("decodeBaseline");
        HeadersBench.check(js.number(text, 1) == size, "text() reads " + size + " characters");
        HeadersBench.check(js.number(arrayBuffer, 1) == size, "arrayBuffer() reads " + size + " bytes");
        HeadersBench.check(js.number(json, 1) > 0, "json() parses the array");
        HeadersBench.check(js.number(streamChunks, 1) == size, "the stream reads " + size + " bytes");
    }

    @TearDown
    public void tearDown() {
        js.close();
    }

    @Benchmark
    public double text() {
        return js.number(text, 1);
    }

    @Benchmark
    public double arrayBuffer() {
        return js.number(arrayBuffer, 1);
    }

    @Benchmark
    public double json() {
        return js.number(json, 1);
    }

    @Benchmark
    public double streamChunks1KiB() {
        return js.number(streamChunks, 1);
    }

    @Benchmark
    public double textDecoderBaseline() {
        return js.number(decode, 1);
    }
}
