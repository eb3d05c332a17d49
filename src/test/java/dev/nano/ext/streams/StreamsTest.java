package dev.nano.ext.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** Streams behaviour beyond what the WPT cover: ordering, independence of tee branches, bounded memory. */
class StreamsTest {
    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(code);
            assertEquals(List.of(), js.uncaught(), "uncaught errors");
            return out;
        }
    }

    @Test
    void asyncSinkResolvingAfterADelayReceivesWritesStrictlyInOrder() {
        String out = run("""
                const events = [];
                let active = 0;
                const ws = new WritableStream({
                  write(chunk) {
                    events.push('start ' + chunk);
                    if (++active !== 1) events.push('OVERLAP at ' + chunk);
                    // Later writes finish sooner: only the stream's ordering keeps them in order.
                    return new Promise((resolve) => setTimeout(() => {
                      active--;
                      events.push('end ' + chunk);
                      resolve();
                    }, 12 - chunk));
                  },
                  close() { events.push('close'); },
                }, { highWaterMark: 4 });
                const writer = ws.getWriter();
                const settled = [];
                for (let i = 0; i < 10; i++) writer.write(i).then(() => settled.push(i));
                await writer.close();
                console.log(events.join(','));
                console.log(settled.join(','));
                """);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            expected.append("start ").append(i).append(",end ").append(i).append(',');
        }
        expected.append("close");
        assertEquals(expected + "\n0,1,2,3,4,5,6,7,8,9", out);
    }

    @Test
    void pipeToAnAsyncSinkKeepsOrderAndBackpressure() {
        String out = run("""
                let pulled = 0;
                const rs = new ReadableStream({
                  pull(c) { c.enqueue(pulled++); if (pulled === 20) c.close(); },
                }, { highWaterMark: 0 });
                const written = [];
                let maxAhead = 0;
                await rs.pipeTo(new WritableStream({
                  async write(chunk) {
                    maxAhead = Math.max(maxAhead, pulled - written.length);
                    await new Promise((r) => setTimeout(r, 1));
                    written.push(chunk);
                  },
                }, { highWaterMark: 2 }));
                console.log(written.join(','), maxAhead <= 4);
                """);
        assertEquals("0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19 true", out);
    }

    @Test
    void teeBranchesReadIndependentlyYieldIdenticalBytes() {
        String out = run("""
                // A byte source with a BYOB-capable underlying source; one branch is read with a
                // BYOB reader in small views, the other later with a default reader.
                let next = 0;
                const rs = new ReadableStream({
                  type: 'bytes',
                  pull(c) {
                    const chunk = new Uint8Array(1000 + (next % 7) * 100);
                    for (let i = 0; i < chunk.length; i++) chunk[i] = (next * 31 + i) & 0xff;
                    c.enqueue(chunk);
                    if (++next === 50) c.close();
                  },
                });
                const [a, b] = rs.tee();
                const fromA = [];
                const byob = a.getReader({ mode: 'byob' });
                for (;;) {
                  const { value, done } = await byob.read(new Uint8Array(333));
                  if (done) break;
                  // Writing into what one branch got must not change the other branch's bytes.
                  fromA.push(...value);
                  value.fill(0);
                }
                const fromB = [];
                for await (const chunk of b) { fromB.push(...chunk); chunk.fill(1); }
                let same = fromA.length === fromB.length;
                for (let i = 0; same && i < fromA.length; i++) same = fromA[i] === fromB[i];
                let expected = 0;
                for (let n = 0; n < 50; n++) expected += 1000 + (n % 7) * 100;
                console.log(fromA.length === expected, same);
                """);
        assertEquals("true true", out);
    }

    @Test
    void teeOfADefaultStreamDeliversEveryChunkToBothBranchesAtTheirOwnPace() {
        String out = run("""
                const rs = new ReadableStream({
                  start(c) { for (let i = 0; i < 5; i++) c.enqueue({ n: i }); c.close(); },
                });
                const [a, b] = rs.tee();
                const ra = a.getReader();
                const first = await ra.read();
                const all = [];
                for await (const chunk of b) all.push(chunk.n);
                const rest = [];
                for (;;) { const r = await ra.read(); if (r.done) break; rest.push(r.value.n); }
                console.log(first.value.n, all.join(''), rest.join(''));
                """);
        assertEquals("0 01234 1234", out);
    }

    @Test
    void compressionRoundTripOf100MiBStaysBounded() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                System.gc(); // the live set, not garbage waiting for a collection
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        String out;
        try {
            out = run("""
                    const CHUNK = 64 * 1024, TOTAL = 100 * 1024 * 1024;
                    const pattern = new Uint8Array(CHUNK);
                    let x = 12345;
                    for (let i = 0; i < CHUNK; i++) { x = (x * 1103515245 + 12345) >>> 0; pattern[i] = (x >>> 24) & 0x3f; }
                    let produced = 0, consumed = 0, maxInFlight = 0, mismatches = 0;
                    const source = new ReadableStream({
                      pull(c) {
                        if (produced >= TOTAL) { c.close(); return; }
                        c.enqueue(pattern.slice());
                        produced += CHUNK;
                      },
                    });
                    await source.pipeThrough(new CompressionStream('gzip'))
                      .pipeThrough(new DecompressionStream('gzip'))
                      .pipeTo(new WritableStream({
                        write(chunk) {
                          // Sample the bytes (the gzip CRC-32 already covers every byte).
                          for (let i = 0; i < chunk.length; i += 4093) {
                            if (chunk[i] !== pattern[(consumed + i) % CHUNK]) mismatches++;
                          }
                          consumed += chunk.length;
                          maxInFlight = Math.max(maxInFlight, produced - consumed);
                        },
                      }));
                    console.log(consumed, mismatches, maxInFlight < 8 * 1024 * 1024);
                    """);
        } finally {
            running.set(false);
        }
        assertEquals("104857600 0 true", out);
        long growth = peak.get() - before;
        assertTrue(growth < 48L * 1024 * 1024, "heap grew by " + growth / 1024 / 1024 + " MiB while streaming 100 MiB");
    }

    @Test
    void corruptTruncatedAndTrailingInputErrorsWithTypeError() {
        String out = run("""
                async function decompress(format, bytes) {
                  const ds = new DecompressionStream(format);
                  const w = ds.writable.getWriter();
                  w.write(bytes).catch(() => {});
                  w.close().catch(() => {});
                  const parts = [];
                  try {
                    for await (const c of ds.readable) parts.push(...c);
                    return String.fromCharCode(...parts);
                  } catch (e) {
                    return e.constructor.name;
                  }
                }
                async function compress(format, text) {
                  const out = [];
                  const cs = new CompressionStream(format);
                  const w = cs.writable.getWriter();
                  w.write(new TextEncoder().encode(text));
                  w.close();
                  for await (const c of cs.readable) out.push(...c);
                  return new Uint8Array(out);
                }
                const results = [];
                for (const format of ['gzip', 'deflate', 'deflate-raw']) {
                  const good = await compress(format, 'hello streams');
                  const corrupt = good.slice(); corrupt[Math.floor(corrupt.length / 2)] ^= 0xff;
                  const trailing = new Uint8Array([...good, 0]);
                  results.push(format,
                    await decompress(format, good),
                    await decompress(format, good.slice(0, good.length - 1)),
                    await decompress(format, trailing),
                    format === 'deflate-raw' ? 'TypeError' : await decompress(format, corrupt));
                }
                console.log(results.join('|'));
                """);
        assertEquals("gzip|hello streams|TypeError|TypeError|TypeError"
                + "|deflate|hello streams|TypeError|TypeError|TypeError"
                + "|deflate-raw|hello streams|TypeError|TypeError|TypeError", out);
    }

    @Test
    void gzipHeaderFieldsAreParsedAcrossChunks() {
        // FEXTRA, FNAME, FCOMMENT and FHCRC around the raw deflate data of "hi", fed one byte at a time.
        String out = run("""
                const raw = new Uint8Array(await new Response(new Blob(['hi']).stream()
                  .pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
                const crcTable = Array.from({ length: 256 }, (_, n) => {
                  let c = n;
                  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
                  return c >>> 0;
                });
                const crc32 = (bytes) => {
                  let c = 0xffffffff;
                  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
                  return (c ^ 0xffffffff) >>> 0;
                };
                const header = [0x1f, 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3,
                  3, 0, 1, 2, 3, ...new TextEncoder().encode('name.txt'), 0, ...new TextEncoder().encode('note'), 0];
                const hcrc = crc32(header) & 0xffff;
                const data = 'hi'.split('').map((ch) => ch.charCodeAt(0));
                const c = crc32(data);
                const gz = [...header, hcrc & 0xff, hcrc >> 8, ...raw,
                  c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff, c >>> 24, 2, 0, 0, 0];
                const ds = new DecompressionStream('gzip');
                const w = ds.writable.getWriter();
                for (const byte of gz) w.write(new Uint8Array([byte]));
                w.close();
                let text = '';
                for await (const chunk of ds.readable.pipeThrough(new TextDecoderStream())) text += chunk;
                console.log(text);
                """);
        assertEquals("hi", out);
    }

    @Test
    void streamsIgnoreAnAppsPatchedPromiseThenAndCannotBeCloned() {
        String out = run("""
                const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); } });
                const got = [];
                const originalThen = Promise.prototype.then;
                Promise.prototype.then = function () { throw new Error('patched then called'); };
                const piped = rs.pipeTo(new WritableStream({ write(chunk) { got.push(chunk); } }));
                Promise.prototype.then = originalThen;
                await piped;
                let cloneError;
                try { structuredClone(new ReadableStream()); } catch (e) { cloneError = e.name; }
                console.log(got.join(''), cloneError);
                """);
        assertEquals("ab DataCloneError", out);
    }

    @Test
    void asyncIterationBreakCancelsTheSourceUnlessPreventCancel() {
        String out = run("""
                const log = [];
                const make = (name) => new ReadableStream({
                  pull(c) { c.enqueue(1); },
                  cancel(reason) { log.push(name + ' cancelled'); },
                });
                for await (const x of make('a')) break;
                const b = make('b');
                for await (const x of b.values({ preventCancel: true })) break;
                console.log(log.join(','), b.locked);
                const from = ReadableStream.from((async function* () { yield 1; yield 2; yield 3; })());
                const all = [];
                for await (const x of from) all.push(x);
                console.log(all.join(''));
                """);
        assertEquals("a cancelled false\n123", out);
    }
}
