package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

import dev.nano.ext.http.HttpExchange;
import dev.nano.ext.http.HttpOps;
import dev.nano.testing.JsHarness;

/** ext/http/00_dispatch.js through its ops, in one context, without a server. */
class DispatchExtensionTest {
    /** An exchange that records what JS answered. */
    static final class Recorded implements HttpExchange {
        final String method;
        final String body;
        int status = -1;
        String headers;
        String text;
        boolean done;

        Recorded(String method, String body) {
            this.method = method;
            this.body = body;
        }

        @Override public String method() { return method; }
        @Override public String url() { return "http://t.test/p?q=1"; }
        @Override public String headerLines() { return "X-One\n1\nx-two\n2"; }
        @Override public ByteBuffer body() { return body == null ? null : ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)); }

        @Override
        public void respond(int status, String statusText, String headerLines, byte[] bytes) {
            if (this.status == -1) {
                this.status = status;
                this.headers = headerLines;
                this.text = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
            }
        }

        @Override
        public StreamStart respondStreaming(int status, String statusText, String headerLines) {
            if (this.status != -1) {
                return StreamStart.REFUSED;
            }
            this.status = status;
            this.headers = headerLines;
            this.text = "";
            streaming = true;
            return StreamStart.BODY;
        }

        @Override
        public boolean writeChunk(byte[] bytes) {
            text += new String(bytes, StandardCharsets.UTF_8);
            chunks++;
            return true;
        }

        @Override public void flush() { flushes++; }
        @Override public void endResponse() { streaming = false; ended = true; }
        @Override public void abortResponse() { streaming = false; aborted = true; }
        @Override public void done() { done = true; }

        boolean streaming;
        boolean ended;
        boolean aborted;
        int chunks;
        int flushes;
    }

    static final class Failures implements HttpOps.Failures {
        final List<String> log = new ArrayList<>();

        @Override
        public void handlerFailed(HttpExchange exchange, String formatted) {
            log.add("failed: " + formatted);
            exchange.respondText(500, "Internal Server Error\n");
        }

        @Override
        public void invalidResponse(HttpExchange exchange, String message) {
            log.add("invalid: " + message);
            exchange.respondText(500, message);
        }
    }

    private static Recorded run(JsHarness js, HttpOps ops, String method, String body) {
        Recorded r = new Recorded(method, body);
        ops.dispatch(r);
        js.loop().runUntilIdle();
        return r;
    }

    private static HttpOps install(JsHarness js, String code, String env, Failures failures) {
        Value ns = js.runtime().evalModule(code, "/test/app.js");
        HttpOps ops = HttpOps.of(js.runtime());
        ops.onFailures(failures);
        assertNull(ops.install(ns, env));
        return ops;
    }

    @Test
    void moduleSyntaxGetsRequestEnvAndCtx() {
        try (JsHarness js = new JsHarness()) {
            Failures f = new Failures();
            HttpOps ops = install(js, """
                    export default {
                      async fetch(request, env, ctx) {
                        let deepFrozen = false;
                        try { env.obj.x = 2; } catch { deepFrozen = true; }
                        ctx.waitUntil(new Promise((r) => setTimeout(r, 5)));
                        return new Response([request.method, request.url, request.headers.get('x-one'),
                          [...request.headers.keys()].join(','), await request.text(), env.obj.x, deepFrozen,
                          Object.prototype.toString.call(ctx)].join('|'), { status: 202, headers: { 'x-out': 'y' } });
                      },
                    };
                    """, "{\"obj\":{\"x\":1}}", f);
            Recorded r = run(js, ops, "POST", "body ü");
            assertEquals(202, r.status);
            assertEquals("POST|http://t.test/p?q=1|1|x-one,x-two|body ü|1|true|[object ExecutionContext]", r.text);
            assertTrue(r.headers.contains("x-out\ny"), r.headers);
            assertTrue(r.done, "done once waitUntil settled");
            assertEquals(0, ops.openCount());
            assertEquals(List.of(), f.log);
        }
    }

    @Test
    void streamBodiesAreStreamedAndBlobBodiesSentWhole() {
        try (JsHarness js = new JsHarness()) {
            HttpOps ops = install(js, """
                    export default { fetch(request) {
                      if (request.method === 'BLOB') return new Response(new Blob(['bl', 'ob']));
                      const enc = new TextEncoder();
                      return new Response(new ReadableStream({
                        async pull(c) { await null; c.enqueue(enc.encode('chunk ')); if (++this.n === 3) c.close(); }, n: 0,
                      }));
                    } };
                    """, "{}", new Failures());
            Recorded streamed = run(js, ops, "GET", null);
            assertEquals("chunk chunk chunk ", streamed.text);
            assertEquals(3, streamed.chunks);
            assertTrue(streamed.ended && streamed.done);
            assertEquals(3, streamed.flushes, "flushed after each chunk: the stream produced each one later");
            Recorded blob = run(js, ops, "BLOB", null);
            assertEquals("blob", blob.text);
            assertEquals(0, blob.chunks);
        }
    }

    @Test
    void aLongStreamYieldsToOtherTasksWhileTheClientKeepsUp() {
        // The recorded exchange takes every chunk at once, as a fast client would: the pump still ends
        // its task after each MiB, so that timers due meanwhile run while the body streams.
        try (JsHarness js = new JsHarness()) {
            HttpOps ops = install(js, """
                    export default { fetch() {
                      let ticks = 0, n = 0;
                      const interval = setInterval(() => { ticks++; }, 0);
                      const block = new Uint8Array(65536).fill(120);
                      return new Response(new ReadableStream({ pull(c) {
                        if (n++ === 128) { console.log(ticks); clearInterval(interval); c.close(); } else c.enqueue(block);
                      } }));
                    } };
                    """, "{}", new Failures());
            Recorded r = run(js, ops, "GET", null);
            assertEquals(128, r.chunks);
            assertTrue(r.ended && r.done);
            int ticks = Integer.parseInt(js.stdout().get(0));
            assertTrue(ticks >= 2, "an interval ran " + ticks + " times while 8 MiB streamed");
        }
    }

    @Test
    void getAndHeadRequestsHaveNoBody() {
        try (JsHarness js = new JsHarness()) {
            HttpOps ops = install(js, "export default { fetch: (r) => new Response(String(r.body)) };", "{}", new Failures());
            assertEquals("null", run(js, ops, "GET", "ignored").text);
        }
    }

    @Test
    void serviceWorkerSyntaxAndRespondWithRules() {
        try (JsHarness js = new JsHarness()) {
            Failures f = new Failures();
            HttpOps ops = install(js, """
                    addEventListener('fetch', (event) => {
                      if (event.request.method === 'LATE') {
                        setTimeout(() => {
                          try { event.respondWith(new Response('late')); } catch (e) { console.log(e.name); }
                        }, 0);
                        return;
                      }
                      event.respondWith(Promise.resolve(new Response('sw ' + (event instanceof FetchEvent))));
                      try { event.respondWith(new Response('twice')); } catch (e) { console.log('twice: ' + e.name); }
                    });
                    """, "{}", f);
            assertEquals("sw true", run(js, ops, "GET", null).text);
            assertEquals("twice: InvalidStateError", js.stdout().get(0));
            Recorded late = run(js, ops, "LATE", null);
            assertEquals(500, late.status);
            assertTrue(f.log.get(0).contains("no 'fetch' event listener called event.respondWith()"), f.log.toString());
            assertEquals("InvalidStateError", js.stdout().get(1));
        }
    }

    @Test
    void handlersWithoutFetchAreRefusedWithAReason() {
        try (JsHarness js = new JsHarness()) {
            Value ns = js.runtime().evalModule("export default { scheduled() {} };", "/test/app.js");
            String reason = HttpOps.of(js.runtime()).install(ns, "{}");
            assertTrue(reason.contains("has no fetch(request, env, ctx) method"), reason);
        }
        try (JsHarness js = new JsHarness()) {
            Value ns = js.runtime().evalModule("export const x = 1;", "/test/app.js");
            assertTrue(HttpOps.of(js.runtime()).install(ns, "{}").contains("the app has no fetch handler"));
        }
    }
}
