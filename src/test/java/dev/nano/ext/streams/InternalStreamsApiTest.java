package dev.nano.ext.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** internal.streams, the API the fetch extension and the HTTP server use (ext/streams/09_exports.js). */
class InternalStreamsApiTest {
    /** Runs {@code code} as a module that sees NANO's internal object as {@code internal}. */
    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            js.eval("(internal) => { globalThis.__internal = internal; }").execute(js.runtime().internal());
            String out = js.run("const internal = globalThis.__internal; delete globalThis.__internal;\n" + code);
            assertEquals(List.of(), js.uncaught(), "uncaught errors");
            return out;
        }
    }

    @Test
    void pullStreamAsksForDataOnlyWhenReadAndTakesChunksPushedLater() {
        String out = run("""
                const log = [];
                let source;
                source = internal.streams.createPullStream(() => {
                  log.push('pull');
                  // The server answers a pull later, with a chunk from the socket.
                  return new Promise((resolve) => setTimeout(() => {
                    source.enqueue(new Uint8Array([log.length]));
                    resolve();
                  }, 1));
                }, (reason) => { log.push('cancel ' + reason); });
                await new Promise((r) => setTimeout(r, 5));
                log.push('no read yet');
                const reader = source.stream.getReader();
                const first = await reader.read();
                log.push('got ' + first.value[0]);
                await reader.cancel('bye');
                log.push('enqueue after cancel: ' + source.enqueue(new Uint8Array([9])));
                console.log(log.join(', '));
                console.log(internal.streams.isReadableStream(source.stream), internal.streams.isDisturbed(source.stream),
                  internal.streams.isReadableStream({}), internal.streams.state(source.stream));
                """);
        assertEquals("no read yet, pull, got 2, cancel bye, enqueue after cancel: false\ntrue true false closed", out);
    }

    @Test
    void pullStreamServesByobReadersAndCloseAnswersAPendingRead() {
        String out = run("""
                let source;
                let pulls = 0;
                source = internal.streams.createPullStream(() => {
                  if (++pulls === 1) source.enqueue(new Uint8Array([1, 2, 3, 4, 5]));
                  else source.close();
                });
                const reader = source.stream.getReader({ mode: 'byob' });
                const a = await reader.read(new Uint8Array(3));
                const b = await reader.read(new Uint8Array(3));
                const c = await reader.read(new Uint8Array(3));
                console.log([...a.value].join(''), [...b.value].join(''), c.done, c.value.length);
                """);
        assertEquals("123 45 true 0", out);
    }

    @Test
    void readAllBytesConcatenatesAndChecksChunks() {
        String out = run("""
                const many = new ReadableStream({
                  start(c) { for (let i = 0; i < 20000; i++) c.enqueue(new Uint8Array([i & 0xff])); c.close(); },
                });
                const all = await internal.streams.readAllBytes(many);
                const bytes = await internal.streams.readAllBytes(new Blob(['abc', 'def']).stream());
                let error;
                try {
                  await internal.streams.readAllBytes(new ReadableStream({ start(c) { c.enqueue('text'); } }));
                } catch (e) { error = e.name; }
                let locked;
                const stream = new ReadableStream();
                stream.getReader();
                try { await internal.streams.readAllBytes(stream); } catch (e) { locked = e.name; }
                console.log(all.length, all[19999], new TextDecoder().decode(bytes), error, locked, many.locked);
                """);
        assertEquals("20000 31 abcdef TypeError TypeError true", out);
    }

    @Test
    void readerHandlesReadWithCallbacksAndTeeCopiesBytes() {
        String out = run("""
                const s = internal.streams;
                const [a, b] = s.tee(new Blob(['xyz']).stream());
                const reader = s.getReader(a);
                const log = [];
                await new Promise((resolve) => {
                  const request = {
                    chunk(value) { log.push(new TextDecoder().decode(value)); value.fill(0); s.read(reader, request); },
                    close() { log.push('closed'); resolve(); },
                    error(e) { log.push('error ' + e); resolve(); },
                  };
                  s.read(reader, request);
                });
                s.releaseReader(reader);
                log.push(new TextDecoder().decode(await s.readAllBytes(b)), s.isLocked(a));
                console.log(log.join(' '));
                """);
        assertEquals("xyz closed xyz false", out);
    }

    @Test
    void nothingIsBuiltUntilAStreamIsNeededAndWritableStreamsOnlyWhenUsed() {
        String out = run("""
                const before = internal.streamsLoaded();
                internal.isReadableStream({});
                const afterCheck = internal.streamsLoaded();
                const d = Object.getOwnPropertyDescriptor(globalThis, 'ReadableStream');
                new Response('x');
                const stillLazy = internal.streamsLoaded();
                const rs = new ReadableStream();
                const reader = Object.getOwnPropertyDescriptor(globalThis, 'ReadableStreamDefaultReader');
                const writable = Object.getOwnPropertyDescriptor(globalThis, 'WritableStream');
                console.log(before, afterCheck, typeof d.get, stillLazy, internal.streamsLoaded(1), 'value' in reader,
                  reader.enumerable, reader.writable, reader.configurable, typeof writable.get, internal.streamsLoaded(2));
                rs.tee();
                console.log(internal.streamsLoaded(2), 'value' in Object.getOwnPropertyDescriptor(globalThis, 'WritableStream'),
                  typeof WritableStream);
                """);
        assertEquals("false false function false true true false true true function false\ntrue false function", out);
    }
}
