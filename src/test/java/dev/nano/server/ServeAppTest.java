package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One app (module syntax, one worker thread) served for real, answering what its routes do. */
class ServeAppTest {
    static final String APP = """
            import { greet } from './lib/greet.js';
            let release;
            export default {
              async fetch(request, env, ctx) {
                const url = new URL(request.url);
                switch (url.pathname) {
                  case '/': return new Response('Hello from NANO\\n');
                  case '/echo': return Response.json({
                    method: request.method, url: request.url, test: request.headers.get('x-test'),
                    body: await request.text(),
                  });
                  case '/throw': throw new Error('boom in the handler');
                  case '/reject': return Promise.reject(new TypeError('rejected'));
                  case '/not-a-response': return 'just a string';
                  case '/slow': await new Promise((r) => setTimeout(r, 400)); return new Response('slow');
                  case '/hold': await new Promise((r) => { release = r; }); return new Response('released');
                  case '/held': return new Response(String(release !== undefined));
                  case '/release': release(); release = undefined; return new Response('ok');
                  case '/never': return new Promise(() => {});
                  case '/wait-until':
                    ctx.passThroughOnException();
                    ctx.waitUntil(new Promise((r) => setTimeout(() => { console.log('wait-until finished'); r(); }, 1000)));
                    return new Response('sent');
                  case '/console': console.log('hello', { a: 1 }); console.error('bad thing'); return new Response('ok');
                  case '/import': return new Response(greet('imports'));
                  case '/no-content': return new Response(null, { status: 204 });
                  case '/bytes': return new Response(new Uint8Array([104, 105]), { status: 201, statusText: 'Made' });
                  case '/blob': return new Response(new Blob(['ab', 'cd']));
                  case '/headers': return new Response('x', { headers: [['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-custom', 'y']] });
                  case '/env': return Response.json({ frozen: Object.isFrozen(env), keys: Object.keys(env) });
                  case '/error-response': return Response.error();
                  case '/late-throw':
                    setTimeout(() => { throw new Error('thrown later by a timer'); }, 10);
                    ctx.waitUntil(Promise.reject(new RangeError('waitUntil rejected')));
                    return new Response('ok');
                }
                return new Response('not found', { status: 404 });
              },
            };
            """;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        ServerLimits limits = ServerLimits.DEFAULTS.withMaxBodyBytes(64 * 1024).withTimeouts(1000, 1500, 60_000);
        t = TestServer.app(TestServer.options().withLimits(limits), 1,
                "app.js", APP, "lib/greet.js", "export const greet = (who) => `hello, ${who}`;");
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void helloWorldWithContentLengthAndDate() throws Exception {
        HttpResponse<String> r = t.get("/");
        assertEquals(200, r.statusCode());
        assertEquals("Hello from NANO\n", r.body());
        assertEquals("16", r.headers().firstValue("content-length").orElse(""));
        assertTrue(r.headers().firstValue("date").orElse("").matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"),
                r.headers().toString());
    }

    @Test
    void theRequestCarriesMethodAbsoluteUrlHeadersAndBody() throws Exception {
        HttpResponse<String> r = t.send(HttpRequest.newBuilder(t.uri("/echo?q=1"))
                .header("X-Test", "yes").POST(HttpRequest.BodyPublishers.ofString("payload ü")).build());
        JsonNode echo = TestServer.JSON.readTree(r.body());
        assertEquals("POST", echo.get("method").asText());
        assertEquals("http://127.0.0.1:" + t.server.port() + "/echo?q=1", echo.get("url").asText());
        assertEquals("yes", echo.get("test").asText());
        assertEquals("payload ü", echo.get("body").asText());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    }

    @Test
    void headHasTheHeadersOfGetButNoBody() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response head = c.read(true);
            RawClient.Response get = c.read();
            assertEquals(200, head.status());
            assertEquals("16", head.headers().get("content-length"));
            assertEquals("Hello from NANO\n", get.body()); // proves HEAD sent no body bytes
        }
    }

    @Test
    void bytesBlobStatusTextAndRepeatedHeadersGoOut() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.send("GET /bytes HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(201, r.status());
            assertEquals("hi", r.body());
        }
        assertEquals("abcd", t.get("/blob").body());
        HttpResponse<String> h = t.get("/headers");
        assertEquals(List.of("a=1", "b=2"), h.headers().allValues("set-cookie"));
        assertEquals("y", h.headers().firstValue("x-custom").orElse(""));
        HttpResponse<String> none = t.get("/no-content");
        assertEquals(204, none.statusCode());
        assertFalse(none.headers().firstValue("content-length").isPresent());
    }

    @Test
    void relativeImportsWork() throws Exception {
        assertEquals("hello, imports", t.get("/import").body());
    }

    @Test
    void envIsFrozen() throws Exception {
        assertEquals("{\"frozen\":true,\"keys\":[]}", t.get("/env").body());
    }

    @Test
    void aThrowingHandlerAnswers500WithoutStackAndLogsTheStackWithFileAndLine() throws Exception {
        HttpResponse<String> r = t.get("/throw");
        assertEquals(500, r.statusCode());
        assertFalse(r.body().contains("boom"), r.body());
        assertFalse(r.body().contains("app.js"), r.body());
        JsonNode error = t.awaitLog("error", "boom in the handler");
        assertEquals("app", error.get("app").asText());
        assertEquals("exception", error.get("kind").asText());
        assertTrue(error.get("message").asText().contains("app.js:12"), error.toString());
    }

    @Test
    void aRejectedPromiseAnswers500() throws Exception {
        assertEquals(500, t.get("/reject").statusCode());
        assertTrue(t.awaitLog("error", "TypeError: rejected").get("message").asText().contains("app.js"));
    }

    @Test
    void aValueThatIsNotAResponseAnswers500SayingSo() throws Exception {
        HttpResponse<String> r = t.get("/not-a-response");
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("returned a string instead of a Response"), r.body());
        t.awaitLog("error", "instead of a Response");
        HttpResponse<String> e = t.get("/error-response");
        assertEquals(500, e.statusCode());
        assertTrue(e.body().contains("Response.error()"), e.body());
    }

    @Test
    void aPendingHandlerDoesNotHoldUpOtherRequestsToTheSameContext() throws Exception {
        // One worker, one context: /hold waits for a promise that only a later request (/release) resolves.
        CompletableFuture<HttpResponse<String>> held = t.client.sendAsync(
                HttpRequest.newBuilder(t.uri("/hold")).build(), HttpResponse.BodyHandlers.ofString());
        // Other tests may leave requests in flight, and /hold may travel on another connection than
        // the next requests: wait until the app itself says /hold is waiting.
        while (!t.get("/held").body().equals("true")) {
            Thread.sleep(5);
        }
        assertEquals(200, t.get("/").statusCode());
        assertFalse(held.isDone());
        assertEquals("ok", t.get("/release").body());
        assertEquals("released", held.get().body());
    }

    @Test
    void waitUntilWorkRunsAfterTheResponse() throws Exception {
        HttpResponse<String> r = t.get("/wait-until");
        assertEquals("sent", r.body());
        assertTrue(t.log("console").stream().noneMatch(n -> n.toString().contains("wait-until finished")),
                "the waitUntil work is still running when the response arrives");
        JsonNode line = t.awaitLog("console", "wait-until finished");
        assertEquals("app", line.get("app").asText());
    }

    @Test
    void consoleOutputIsLoggedAsJsonTaggedWithTheApp() throws Exception {
        t.get("/console");
        JsonNode info = t.awaitLog("console", "hello { a: 1 }");
        assertEquals("info", info.get("level").asText());
        assertEquals("app", info.get("app").asText());
        assertEquals("error", t.awaitLog("console", "bad thing").get("level").asText());
    }

    @Test
    void everyRequestIsLoggedAsOneJsonLine() throws Exception {
        t.get("/logged?secret=1");
        JsonNode line = t.awaitLog("request", "\"/logged\"");
        assertEquals("app", line.get("app").asText());
        assertEquals("GET", line.get("method").asText());
        assertEquals(404, line.get("status").asInt());
        assertTrue(line.get("bytes").asLong() > 0);
        assertTrue(line.has("ms") && line.has("time"));
        assertFalse(line.toString().contains("secret"), "the query is not logged");
    }

    @Test
    void errorsAfterTheResponseAreLoggedAsUncaught() throws Exception {
        assertEquals("ok", t.get("/late-throw").body());
        JsonNode timer = t.awaitLog("error", "thrown later by a timer");
        assertEquals("uncaught", timer.get("kind").asText());
        assertEquals("app", timer.get("app").asText());
        assertEquals("uncaught", t.awaitLog("error", "waitUntil rejected").get("kind").asText());
        assertEquals(200, t.get("/").statusCode(), "the app keeps serving");
    }

    @Test
    void aHandlerThatNeverAnswersGets504() throws Exception {
        HttpResponse<String> r = t.get("/never");
        assertEquals(504, r.statusCode());
        assertEquals("timeout", t.awaitLog("error", "/never").get("kind").asText());
        // the abandoned request is forgotten: nothing stays in flight (a drain or reload would wait on it)
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (t.server.registry().get("app").inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, t.server.registry().get("app").inFlight());
    }

    @Test
    void bodiesOverTheLimitGet413() throws Exception {
        HttpResponse<String> r = t.send(HttpRequest.newBuilder(t.uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(65 * 1024))).build());
        assertEquals(413, r.statusCode());
        HttpResponse<String> ok = t.send(HttpRequest.newBuilder(t.uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1000))).build());
        assertEquals(200, ok.statusCode());
    }

    @Test
    void chunkedRequestBodiesAreAccepted() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            assertTrue(c.read().body().contains("\"body\":\"abcde\""));
        }
    }

    @Test
    void expectContinueIsAnswered() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, c.read().status());
            c.send("abc");
            RawClient.Response r = c.read();
            assertTrue(r.body().contains("\"body\":\"abc\""), r.status() + " " + r.body());
        }
    }

    @Test
    void headersOverTheLimitGet431() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40 * 1024) + "\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(431, r.status());
            assertTrue(c.closedWithin(2000));
        }
    }

    @Test
    void aSlowClientGets408() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n"); // and never the blank line
            RawClient.Response r = c.read();
            assertEquals(408, r.status());
            assertTrue(c.closedWithin(2000));
        }
    }

    @Test
    void keepAliveAndPipelinedResponsesComeInRequestOrder() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\nGET /import HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("slow", c.read().body());
            assertEquals("Hello from NANO\n", c.read().body());
            assertEquals("hello, imports", c.read().body());
            c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawClient.Response last = c.read();
            assertEquals("close", last.headers().get("connection"));
            assertTrue(c.closedWithin(2000));
        }
    }

    @Test
    void malformedRequestsGet400AndAMissingHostToo() throws Exception {
        try (RawClient c = new RawClient(t.server.port())) {
            c.send("GET / HTTP/1.1\r\n\r\n");
            assertEquals(400, c.read().status());
        }
        try (RawClient c = new RawClient(t.server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: a b\r\n\r\n");
            assertEquals(400, c.read().status());
        }
        try (RawClient c = new RawClient(t.server.port())) {
            c.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response r = c.read();
            assertNotNull(r);
            assertEquals(414, r.status());
        }
    }
}
