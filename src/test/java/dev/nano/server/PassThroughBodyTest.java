package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A fetched body that the app returns unread ({@code return fetch(url)}) is passed on by Java, with
 * no JS per chunk: the bytes arrive whole and in order, a slow client holds the upstream back, an
 * upstream that breaks cuts the response (logged), and a client that leaves cancels the upstream.
 * The same for the other direction: the incoming body sent upstream unread ({@code fetch(request)}),
 * and for the incoming body echoed back unread ({@code new Response(request.body)}).
 * The upstream is the same app on the same server (fetch to 127.0.0.1 is allowed by default), at
 * the port of the Host header the test sends.
 */
class PassThroughBodyTest {
    static final String APP = """
            const state = { cancelled: '', ack: null };
            const acked = () => new Promise((r) => { state.ack = r; });
            // a body the app reads a first piece of: the whole of it, pumped through JS from there
            const afterRead = async (body) => {
              const reader = body.getReader();
              const first = await reader.read();
              return new ReadableStream({
                start(c) { c.enqueue(first.value); },
                async pull(c) {
                  const { done, value } = await reader.read();
                  if (done) c.close(); else c.enqueue(value);
                },
              });
            };
            const block = new Uint8Array(65536);
            for (let i = 0; i < block.length; i++) block[i] = (i * 7 + 3) & 0xff;
            export default {
              async fetch(request) {
                const url = new URL(request.url);
                const self = `http://127.0.0.1:${url.port}`;
                const n = Number(url.searchParams.get('n') ?? '0');
                switch (url.pathname) {
                  case '/bytes': { // n bytes of a fixed pattern, 64 KiB at a time
                    let sent = 0;
                    return new Response(new ReadableStream({
                      pull(c) {
                        if (sent >= n) return c.close();
                        const k = Math.min(block.length, n - sent);
                        c.enqueue(block.slice(0, k));
                        sent += k;
                      },
                    }), { headers: { 'x-upstream': 'yes' } });
                  }
                  case '/broken': { // 1 MiB, then the stream errors: the upstream response is cut
                    let sent = 0;
                    return new Response(new ReadableStream({
                      pull(c) {
                        if (sent >= 1 << 20) return c.error(new Error('the upstream broke'));
                        c.enqueue(block.slice());
                        sent += block.length;
                      },
                    }));
                  }
                  case '/endless': return new Response(new ReadableStream({
                    pull(c) { c.enqueue(block.slice()); },
                    cancel(reason) { state.cancelled = String(reason); },
                  }));
                  case '/events': { // one event, then the rest only once the client said it has it
                    const waiting = acked();
                    let i = 0;
                    return new Response(new ReadableStream({
                      async pull(c) {
                        if (i === 1) await waiting;
                        c.enqueue(new TextEncoder().encode(`data: ${i}\\n\\n`));
                        if (++i === 3) c.close();
                      },
                    }), { headers: { 'content-type': 'text/event-stream' } });
                  }
                  case '/ack': state.ack(); return new Response('ok');
                  case '/count': { // what arrived: its length and SHA-256
                    const bytes = await request.arrayBuffer();
                    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
                    return new Response(`${bytes.byteLength}:${[...hash].map((b) => b.toString(16).padStart(2, '0')).join('')}`);
                  }
                  case '/upload-pass': return fetch(`${self}/count`, { method: 'POST', body: request.body });
                  case '/upload-request': return fetch(new Request(`${self}/count`, request));
                  case '/upload-after-read': // the app read a piece first: JS sends the rest
                    return fetch(`${self}/count`, { method: 'POST', body: await afterRead(request.body) });
                  case '/echo': return new Response(request.body, { headers: { 'x-echo': 'yes' } });
                  case '/echo-after-read': return new Response(await afterRead(request.body)); // JS pumps it
                  case '/pass': return fetch(`${self}/bytes?n=${n}`);
                  case '/pass-rewrapped': { // Workers' idiom for changing the headers of a proxied response
                    const upstream = await fetch(`${self}/bytes?n=${n}`);
                    const response = new Response(upstream.body, upstream);
                    response.headers.set('x-proxy', 'nano');
                    return response;
                  }
                  case '/pass-after-read': // the app read a piece first: JS pumps the rest
                    return new Response(await afterRead((await fetch(`${self}/bytes?n=${n}`)).body));
                  case '/pass-broken': return fetch(`${self}/broken`);
                  case '/pass-events': return fetch(`${self}/events`);
                  case '/pass-endless': return fetch(`${self}/endless`);
                  case '/pass-head': return fetch(`${self}/bytes?n=${n}`);
                  case '/state': return Response.json(state);
                }
                return new Response('not found', { status: 404 });
              },
            };
            """;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.app(TestServer.options(), 1, "app.js", APP);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    /** The CRC of the first n bytes of the app's pattern. */
    private static long expectedCrc(int n) {
        CRC32 crc = new CRC32();
        for (int i = 0; i < n; i++) {
            crc.update(((i % 65536) * 7 + 3) & 0xff);
        }
        return crc.getValue();
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    @Test
    void anUnreadFetchedBodyArrivesWholeWithTheUpstreamsHeaders() throws Exception {
        int n = 8 * 1024 * 1024 + 5;
        for (String path : new String[] {"/pass", "/pass-rewrapped", "/pass-after-read"}) {
            try (StreamClient c = new StreamClient(t.server.port())) {
                c.send("GET " + path + "?n=" + n + " HTTP/1.1\r\nHost: 127.0.0.1:" + t.server.port() + "\r\n\r\n");
                StreamClient.Head head = c.head();
                assertEquals(200, head.status(), path);
                if (!path.equals("/pass-after-read")) {
                    assertEquals("yes", head.headers().get("x-upstream"), path);
                }
                if (path.equals("/pass-rewrapped")) {
                    assertEquals("nano", head.headers().get("x-proxy"));
                }
                byte[] body = c.readAll();
                assertEquals(n, body.length, path);
                assertEquals(expectedCrc(n), crc(body), path + ": bytes lost, doubled or reordered");
            }
        }
        // the connection's requests go on afterwards, on the same keep-alive connection
        try (StreamClient c = new StreamClient(t.server.port())) {
            for (int i = 0; i < 3; i++) {
                c.send("GET /pass?n=100000 HTTP/1.1\r\nHost: 127.0.0.1:" + t.server.port() + "\r\n\r\n");
                assertEquals(200, c.head().status());
                assertEquals(100_000, c.readAll().length);
            }
        }
    }

    @Test
    void theIncomingBodySentUpstreamUnreadArrivesWhole() throws Exception {
        byte[] body = new byte[6 * 1024 * 1024 + 3];
        new java.util.Random(5).nextBytes(body);
        String expected = body.length + ":" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(body));
        for (String path : new String[] {"/upload-pass", "/upload-request", "/upload-after-read"}) {
            try (StreamClient c = new StreamClient(t.server.port())) {
                c.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + t.server.port()
                        + "\r\nContent-Length: " + body.length + "\r\n\r\n");
                c.out().write(body);
                c.out().flush();
                assertEquals(200, c.head().status(), path);
                assertEquals(expected, new String(c.readAll(), java.nio.charset.StandardCharsets.UTF_8), path);
            }
        }
    }

    @Test
    void theIncomingBodyEchoedBackArrivesWholeAtTheClientsPace() throws Exception {
        byte[] body = new byte[12 * 1024 * 1024 + 7]; // under the default body limit
        new java.util.Random(6).nextBytes(body);
        for (String path : new String[] {"/echo", "/echo-after-read"}) {
            for (boolean chunked : new boolean[] {false, true}) {
                String what = path + (chunked ? " chunked" : "");
                try (StreamClient c = new StreamClient(t.server.port())) {
                    c.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + t.server.port() + "\r\n"
                            + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n")
                            + "\r\n");
                    // the echo comes back while the body goes out: write on another thread
                    var upload = java.util.concurrent.CompletableFuture.runAsync(() -> {
                        try {
                            for (int off = 0; off < body.length; off += 1 << 20) {
                                int k = Math.min(1 << 20, body.length - off);
                                if (chunked) {
                                    c.out().write((Integer.toHexString(k) + "\r\n").getBytes());
                                }
                                c.out().write(body, off, k);
                                if (chunked) {
                                    c.out().write("\r\n".getBytes());
                                }
                            }
                            if (chunked) {
                                c.out().write("0\r\n\r\n".getBytes());
                            }
                            c.out().flush();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    StreamClient.Head head = c.head();
                    assertEquals(200, head.status(), what);
                    if (path.equals("/echo")) {
                        assertEquals("yes", head.headers().get("x-echo"));
                    }
                    byte[] buf = new byte[64 * 1024];
                    int got = c.read(buf, 0, buf.length);
                    Thread.sleep(300); // the sockets fill both ways: the echo must wait, not fail
                    java.io.ByteArrayOutputStream echoed = new java.io.ByteArrayOutputStream();
                    echoed.write(buf, 0, got);
                    int k;
                    while ((k = c.read(buf, 0, buf.length)) >= 0) {
                        echoed.write(buf, 0, k);
                    }
                    upload.get(60, java.util.concurrent.TimeUnit.SECONDS);
                    assertEquals(body.length, echoed.size(), what);
                    assertTrue(java.util.Arrays.equals(body, echoed.toByteArray()), what + ": bytes lost, doubled or reordered");
                }
            }
        }
    }

    @Test
    void aSlowClientHoldsTheUpstreamBack() throws Exception {
        int n = 32 * 1024 * 1024;
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /pass?n=" + n + " HTTP/1.1\r\nHost: 127.0.0.1:" + t.server.port() + "\r\n\r\n");
            assertEquals(200, c.head().status());
            byte[] buf = new byte[64 * 1024];
            int got = c.read(buf, 0, buf.length);
            Thread.sleep(500); // the socket fills; the pipe must wait, not fail or buffer everything
            CRC32 crc = new CRC32();
            crc.update(buf, 0, got);
            long total = got;
            int k;
            while ((k = c.read(buf, 0, buf.length)) >= 0) {
                crc.update(buf, 0, k);
                total += k;
            }
            assertEquals(n, total);
            assertEquals(expectedCrc(n), crc.getValue());
        }
    }

    @Test
    void eachPieceReachesTheClientAsItArrives() throws Exception {
        // a proxied event stream: the upstream sends its second event only after the client has the first
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /pass-events HTTP/1.1\r\nHost: 127.0.0.1:" + t.server.port() + "\r\n\r\n");
            StreamClient.Head head = c.head();
            assertEquals(200, head.status());
            assertEquals("text/event-stream", head.headers().get("content-type"));
            c.readUntil("data: 0");
            assertEquals("ok", t.get("/ack").body());
            assertTrue(c.readUntil("data: 2").contains("data: 1"));
        }
    }

    @Test
    void aBrokenUpstreamCutsTheResponseAndIsLogged() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /pass-broken HTTP/1.1\r\nHost: 127.0.0.1:" + t.server.port() + "\r\n\r\n");
            assertEquals(200, c.head().status());
            assertThrows(EOFException.class, c::readAll, "no terminating chunk: the client sees the body cut");
        }
        var error = t.awaitLog("error", "the response body failed, so the response was cut off");
        assertTrue(error.get("message").asText().contains("127.0.0.1"), error.toString());
    }

    @Test
    void aClientThatLeavesCancelsTheUpstream() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /pass-endless HTTP/1.1\r\nHost: 127.0.0.1:" + t.server.port() + "\r\n\r\n");
            assertEquals(200, c.head().status());
            byte[] buf = new byte[100_000];
            assertTrue(c.read(buf, 0, buf.length) > 0);
        } // closed mid-body: the pipe aborts its fetch, and the upstream's source is cancelled
        long deadline = System.nanoTime() + 20_000_000_000L;
        String s = t.get("/state").body();
        while (!s.contains("\"cancelled\":\"AbortError")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the upstream's stream was never cancelled: " + s);
            }
            Thread.sleep(20);
            s = t.get("/state").body();
        }
    }

    @Test
    void aHeadRequestGetsTheHeadOnly() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("HEAD /pass-head?n=5000000 HTTP/1.1\r\nHost: 127.0.0.1:" + t.server.port() + "\r\n\r\n");
            assertEquals(200, c.head(true).status());
            c.send("GET /pass?n=10 HTTP/1.1\r\nHost: 127.0.0.1:" + t.server.port() + "\r\n\r\n");
            assertEquals(200, c.head().status());
            assertEquals(10, c.readAll().length);
        }
    }
}
