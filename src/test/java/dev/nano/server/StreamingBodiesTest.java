package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request and response bodies as real streams through the real server: large bodies both ways with a
 * bounded heap, incremental delivery, tee, cancellation on disconnect, errors mid-body, framing.
 * The large cases move {@code nano.test.streamBytes} bytes (default 256 MiB; set 1073741824 for 1 GiB).
 */
class StreamingBodiesTest {
    static final long BIG = Long.getLong("nano.test.streamBytes", 256L * 1024 * 1024);
    /** Live heap the large transfers may add, measured after a GC mid-transfer: far below what buffering would hold. */
    static final long HEAP_SLACK = 64L * 1024 * 1024;

    static final String APP = """
            const state = { cancelled: '', aborted: '', acked: null, ack: null };
            const enc = new TextEncoder();
            const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
            const hex = async (buf) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', buf))]
              .map((b) => b.toString(16).padStart(2, '0')).join('');
            export default {
              async fetch(request) {
                const url = new URL(request.url);
                switch (url.pathname) {
                  case '/big': { // n bytes, made cheaply: one 64 KiB block enqueued again and again
                    const n = Number(url.searchParams.get('n'));
                    const block = new Uint8Array(65536).fill(120);
                    let sent = 0;
                    return new Response(new ReadableStream({
                      pull(c) {
                        if (sent >= n) return c.close();
                        const k = Math.min(block.length, n - sent);
                        c.enqueue(k === block.length ? block : block.subarray(0, k));
                        sent += k;
                      },
                    }));
                  }
                  case '/echo': return new Response(request.body);
                  case '/sse': { // an event every 100 ms for 2.5 s; the last only once the client said it has the first
                    state.acked = new Promise((r) => { state.ack = r; });
                    let i = 0;
                    return new Response(new ReadableStream({
                      async pull(c) {
                        await sleep(100);
                        if (i === 24) await state.acked;
                        c.enqueue(enc.encode(`data: ${i}\\n\\n`));
                        if (++i === 25) c.close();
                      },
                    }), { headers: { 'content-type': 'text/event-stream' } });
                  }
                  case '/ack': state.ack(); return new Response('ok');
                  case '/tee': { // answered at once; the body says what the two branches read
                    const [a, b] = request.body.tee();
                    return new Response(new ReadableStream({
                      async start(c) {
                        const [x, y] = await Promise.all([new Response(a).arrayBuffer(), new Response(b).arrayBuffer()]);
                        c.enqueue(enc.encode(JSON.stringify({ a: x.byteLength, b: y.byteLength, ha: await hex(x), hb: await hex(y) })));
                        c.close();
                      },
                    }));
                  }
                  case '/text': return new Response(`${(await request.text()).length}`);
                  case '/endless':
                    request.signal.addEventListener('abort', () => { state.aborted = request.signal.reason.name; });
                    return new Response(new ReadableStream({
                      pull(c) { c.enqueue(new Uint8Array(16384)); },
                      cancel(reason) { state.cancelled = `${reason.name}: ${reason.message}`; },
                    }));
                  case '/wait-for-abort':
                    state.aborted = 'waiting';
                    await new Promise((r) => request.signal.addEventListener('abort', r));
                    state.aborted = `handler saw ${request.signal.reason.name}`;
                    return new Response('never read');
                  case '/state': return Response.json(state);
                  case '/error-mid':
                    return new Response(new ReadableStream({
                      async pull(c) {
                        if (this.sent) { await sleep(10); throw new RangeError('the source broke mid-body'); }
                        this.sent = true;
                        c.enqueue(enc.encode('partial'));
                      },
                    }));
                  case '/not-bytes':
                    return new Response(new ReadableStream({ start(c) { c.enqueue(enc.encode('ok ')); c.enqueue('a string'); } }));
                  case '/length':
                    return new Response(new ReadableStream({ start(c) { c.enqueue(enc.encode('0123456789')); c.close(); } }),
                      { headers: { 'content-length': '10' } });
                  case '/short':
                    return new Response(new ReadableStream({ start(c) { c.enqueue(enc.encode('01234')); c.close(); } }),
                      { headers: { 'content-length': '10' } });
                  case '/small': return new Response(new ReadableStream({ start(c) { c.enqueue(enc.encode('streamed')); c.close(); } }));
                  case '/head':
                    return new Response(new ReadableStream({
                      pull(c) { c.enqueue(enc.encode('x')); },
                      cancel() { state.cancelled = 'head cancelled'; },
                    }));
                }
                return new Response('plain');
              },
            };
            """;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        // A response deadline shorter than the event stream: it covers the head, not a healthy stream.
        ServerLimits limits = ServerLimits.DEFAULTS.withMaxBodyBytes(4L * 1024 * 1024 * 1024).withTimeouts(10_000, 2000, 60_000);
        t = TestServer.app(TestServer.options().withLimits(limits), 1, "app.js", APP);
        t.get("/small"); // the first stream builds the streams code in the context: not under a test's deadline
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private String state() throws Exception {
        return t.get("/state").body();
    }

    private void awaitState(String text) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String s = state();
        while (!s.contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the app state never contained '" + text + "': " + s);
            }
            Thread.sleep(20);
            s = state();
        }
    }

    @Test
    void aLargeStreamedResponseArrivesWholeWithABoundedHeap() throws Exception {
        long before = liveHeap();
        long start = System.nanoTime();
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /big?n=" + BIG + " HTTP/1.1\r\nHost: x\r\n\r\n");
            StreamClient.Head head = c.head();
            assertEquals(200, head.status());
            assertTrue(head.chunked(), head.headers().toString());
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            long growth = 0;
            int n;
            while ((n = c.read(buf, 0, buf.length)) >= 0) {
                for (int i = 0; i < n; i += 4099) {
                    assertEquals('x', buf[i]);
                }
                if (total < BIG / 2 && total + n >= BIG / 2) {
                    growth = liveHeap() - before; // mid-stream: whatever the server holds now is live
                }
                total += n;
            }
            assertEquals(BIG, total);
            assertTrue(growth < HEAP_SLACK, "heap grew by " + (growth >> 20) + " MiB mid-stream");
            System.out.printf("streamed response: %d MiB in %d ms, live heap mid-stream %+.1f MiB over the baseline of %.1f MiB%n",
                    BIG >> 20, (System.nanoTime() - start) / 1_000_000, growth / 1048576.0, before / 1048576.0);
        }
    }

    @Test
    void aLargeUploadEchoedThroughTheRequestBodyStreamsBothWays() throws Exception {
        // A block of prime length, repeated: chunk boundaries never line up with it, so lost, doubled or
        // reordered chunks change the CRC.
        byte[] block = new byte[65521];
        new Random(7).nextBytes(block);
        long before = liveHeap();
        long start = System.nanoTime();
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + BIG + "\r\n\r\n");
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
                CRC32 crc = new CRC32();
                try {
                    OutputStream out = c.out();
                    for (long left = BIG; left > 0; ) {
                        int k = (int) Math.min(block.length, left);
                        out.write(block, 0, k);
                        crc.update(block, 0, k);
                        left -= k;
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                return crc.getValue();
            });
            StreamClient.Head head = c.head();
            assertEquals(200, head.status());
            CRC32 crc = new CRC32();
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            long growth = 0;
            int n;
            while ((n = c.read(buf, 0, buf.length)) >= 0) {
                crc.update(buf, 0, n);
                if (total < BIG / 2 && total + n >= BIG / 2) {
                    growth = liveHeap() - before;
                }
                total += n;
            }
            assertEquals(BIG, total);
            assertEquals(sent.get(), crc.getValue(), "the echoed bytes are the bytes sent");
            assertTrue(growth < HEAP_SLACK, "heap grew by " + (growth >> 20) + " MiB mid-stream");
            System.out.printf("echoed upload: %d MiB in %d ms, live heap mid-stream %+.1f MiB over the baseline of %.1f MiB%n",
                    BIG >> 20, (System.nanoTime() - start) / 1_000_000, growth / 1048576.0, before / 1048576.0);
        }
    }

    @Test
    void eventsArriveAsTheyAreProducedAndOutliveTheResponseDeadline() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /sse HTTP/1.1\r\nHost: x\r\n\r\n");
            StreamClient.Head head = c.head();
            assertEquals("text/event-stream", head.headers().get("content-type"));
            String first = c.readUntil("data: 0\n\n");
            assertFalse(first.contains("data: 24"));
            // The server sends the last event only after this request: had it held the stream back,
            // the first event could not have arrived before it.
            assertEquals("ok", t.get("/ack").body());
            String rest = first + new String(c.readAll(), StandardCharsets.UTF_8);
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 25; i++) {
                expected.append("data: ").append(i).append("\n\n");
            }
            assertEquals(expected.toString(), rest, "every event, in order, past the 2 s response deadline");
        }
    }

    @Test
    void aTeedRequestBodyGivesBothBranchesTheSameBytes() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(11).nextBytes(body);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        try (StreamClient c = new StreamClient(t.server.port())) {
            // chunked, in pieces: the body streams
            c.send("POST /tee HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            OutputStream out = c.out();
            for (int at = 0; at < body.length; at += 100_000) {
                int k = Math.min(100_000, body.length - at);
                out.write((Integer.toHexString(k) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, at, k);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(200, c.head().status());
            String json = new String(c.readAll(), StandardCharsets.UTF_8);
            assertEquals("{\"a\":" + body.length + ",\"b\":" + body.length + ",\"ha\":\"" + sha + "\",\"hb\":\"" + sha + "\"}", json);
        }
    }

    @Test
    void textReadsAStreamedBodyAndTheConnectionGoesOn() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("POST /text HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" + "y".repeat(100_000));
            Thread.sleep(50); // the second half in a later read, so the body streams
            c.send("y".repeat(100_000) + "GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
            c.head();
            assertEquals("200000", new String(c.readAll(), StandardCharsets.UTF_8));
            c.head();
            assertEquals("streamed", new String(c.readAll(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aBodyTheAppDoesNotReadIsDroppedAndTheConnectionGoesOn() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n" + "y".repeat(100_000));
            StreamClient.Head head = c.head();
            assertEquals(200, head.status());
            assertFalse(head.headers().containsKey("connection"), head.headers().toString());
            assertEquals("streamed", new String(c.readAll(), StandardCharsets.UTF_8));
            c.send("y".repeat(200_000) + "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); // the rest, then the next request
            c.head();
            assertEquals("plain", new String(c.readAll(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void expectContinueComesBeforeAStreamedBodyAndNotForATooLargeOne() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("POST /text HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, c.head().status());
            c.send("z".repeat(100_000));
            assertEquals(200, c.head().status());
            assertEquals("100000", new String(c.readAll(), StandardCharsets.UTF_8));
        }
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("POST /text HTTP/1.1\r\nHost: x\r\nContent-Length: " + (5L << 30) + "\r\nExpect: 100-continue\r\n\r\n");
            StreamClient.Head head = c.head();
            assertEquals(413, head.status());
            assertEquals("close", head.headers().get("connection"));
        }
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("POST /text HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: something-else\r\n\r\n");
            assertEquals(417, c.head().status());
        }
    }

    @Test
    void aLongStreamToAFastClientIsWrittenOverManyTasks() throws Exception {
        // Each JS task may allocate 4 MB here; writing a 64 MiB body copies every byte, so a pump
        // that wrote it all in one task (as it may while the client keeps up) would be stopped.
        long n = 64L << 20;
        try (TestServer s = TestServer.config("nano.json",
                "{ \"apps\": [ { \"name\": \"app\", \"path\": \"app.js\", \"limits\": { \"memoryMb\": 4 } } ] }",
                "app.js", APP);
             StreamClient c = new StreamClient(s.server.port())) {
            c.send("GET /big?n=" + n + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.head().status());
            byte[] buf = new byte[256 * 1024];
            long total = 0;
            int got;
            while ((got = c.read(buf, 0, buf.length)) >= 0) {
                total += got;
            }
            assertEquals(n, total);
            assertTrue(s.log("error").isEmpty(), s.log("error").toString());
        }
    }

    @Test
    void aStreamedBodyOverTheLimitGets413WhileItArrives() throws Exception {
        ServerLimits small = ServerLimits.DEFAULTS.withMaxBodyBytes(64 * 1024);
        try (TestServer s = TestServer.app(TestServer.options().withLimits(small), 1, "app.js", APP);
             StreamClient c = new StreamClient(s.server.port())) {
            // chunked: no length to judge up front; the limit is counted as the bytes come
            c.send("POST /text HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            OutputStream out = c.out();
            byte[] piece = new byte[16 * 1024];
            for (int i = 0; i < 8; i++) {
                out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(piece);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StreamClient.Head head = c.head();
            assertEquals(413, head.status());
            assertTrue(new String(c.readAll(), StandardCharsets.UTF_8).contains("65536 bytes"));
        }
    }

    @Test
    void aClientThatDisconnectsMidStreamCancelsTheSourceAndAbortsTheSignal() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /endless HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.head().status());
            byte[] buf = new byte[100_000];
            assertTrue(c.read(buf, 0, buf.length) > 0);
        } // closed mid-body
        awaitState("\"cancelled\":\"AbortError: The client closed the connection\"");
        awaitState("\"aborted\":\"AbortError\"");
    }

    @Test
    void aClientThatLeavesWhileTheHandlerRunsAbortsTheSignal() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /wait-for-abort HTTP/1.1\r\nHost: x\r\n\r\n");
            awaitState("\"aborted\":\"waiting\"");
        }
        awaitState("\"aborted\":\"handler saw AbortError\"");
    }

    @Test
    void aStreamThatErrorsMidBodyCutsTheResponseAndIsLogged() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /error-mid HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.head().status());
            assertEquals("partial", c.readUntil("partial"));
            assertThrows(EOFException.class, c::readAll, "no terminating chunk: the client sees the body cut");
        }
        var error = t.awaitLog("error", "the source broke mid-body");
        assertTrue(error.get("message").asText().contains("response body stream failed"), error.toString());
        assertTrue(error.get("message").asText().contains("app.js:"), error.toString());
    }

    @Test
    void aStreamOfNonBytesCutsTheResponseWithAClearMessage() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /not-bytes HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.head().status());
            assertThrows(EOFException.class, c::readAll);
        }
        t.awaitLog("error", "must produce Uint8Array chunks, but it produced a string");
    }

    @Test
    void anAppLengthFramesTheStreamAndAShortBodyIsCut() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /length HTTP/1.1\r\nHost: x\r\n\r\nGET /short HTTP/1.1\r\nHost: x\r\n\r\n");
            StreamClient.Head head = c.head();
            assertEquals("10", head.headers().get("content-length"));
            assertFalse(head.chunked());
            assertEquals("0123456789", new String(c.readAll(), StandardCharsets.UTF_8));
            assertEquals("10", c.head().headers().get("content-length"));
            assertThrows(EOFException.class, c::readAll);
        }
        t.awaitLog("error", "short of its Content-Length of 10");
    }

    @Test
    void headAndPipeliningWithStreamedResponses() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("HEAD /head HTTP/1.1\r\nHost: x\r\n\r\nGET /small HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            StreamClient.Head head = c.head(true);
            assertEquals(200, head.status());
            assertTrue(head.chunked(), "the headers a GET would have");
            assertEquals("streamed", new String(c.head().status() == 200 ? c.readAll() : new byte[0], StandardCharsets.UTF_8),
                    "HEAD sent no body bytes");
            c.head();
            assertEquals("plain", new String(c.readAll(), StandardCharsets.UTF_8));
        }
        awaitState("\"cancelled\":\"head cancelled\"");
    }

    @Test
    void http10ClientsGetAStreamEndedByTheConnection() throws Exception {
        try (StreamClient c = new StreamClient(t.server.port())) {
            c.send("GET /small HTTP/1.0\r\n\r\n");
            StreamClient.Head head = c.head();
            assertFalse(head.chunked());
            assertEquals("streamed", new String(c.readAll(), StandardCharsets.UTF_8));
        }
    }
}
