package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server-side WebSockets (Workers' WebSocketPair) through the real server, with the JDK's WebSocket client. */
class WebSocketServerTest {
    static final String ECHO = """
            export default {
              fetch(request) {
                if (request.headers.get('upgrade') !== 'websocket') return new Response('use a WebSocket', { status: 426 });
                const path = new URL(request.url).pathname;
                if (path === '/flood') { // 32 MB to a client that reads nothing: they wait in the send buffer
                  const [client, server] = Object.values(new WebSocketPair());
                  server.accept();
                  const before = server.bufferedAmount;
                  for (let i = 0; i < 32; i++) server.send(new Uint8Array(1 << 20));
                  setTimeout(() => console.log(`buffered ${before} ${server.bufferedAmount > 4 * (1 << 20)}`), 500);
                  return new Response(null, { status: 101, webSocket: client });
                }
                if (path === '/late') { // accept() after the 101: what arrived meanwhile waits for it
                  const [client, server] = Object.values(new WebSocketPair());
                  setTimeout(() => {
                    server.addEventListener('message', (e) => server.send('late ' + e.data));
                    server.accept();
                  }, 300);
                  return new Response(null, { status: 101, webSocket: client });
                }
                if (path === '/not-accepted') {
                  const [client] = Object.values(new WebSocketPair());
                  return new Response(null, { status: 200, webSocket: client });
                }
                const [client, server] = Object.values(new WebSocketPair());
                server.accept();
                server.send('welcome'); // before the response: sent once the connection is upgraded
                server.addEventListener('message', (e) => {
                  if (e.data === 'close') server.close(4000, 'bye');
                  else if (e.data === 'info') server.send(JSON.stringify({ protocol: server.protocol,
                    extensions: server.extensions, readyState: server.readyState, binaryType: server.binaryType }));
                  else if (e.data instanceof ArrayBuffer) server.send(new Uint8Array(e.data));
                  else server.send(e.data);
                });
                server.onclose = (e) => console.log(`closed ${path} ${e.code} ${e.reason} ${e.wasClean} ${server.readyState}`);
                server.onerror = () => console.log(`error ${path}`);
                const headers = request.headers.get('sec-websocket-protocol') ? { 'sec-websocket-protocol': 'chat' } : {};
                return new Response(null, { status: 101, webSocket: client, headers });
              },
            };
            """;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.config("nano.json", """
                        { "workers": 2, "apps": [
                          { "name": "echo", "hostnames": ["echo.local"], "path": "echo.js" },
                          { "name": "small", "hostnames": ["small.local"], "path": "echo.js", "limits": { "bodyMb": 0.001 } } ] }
                        """,
                "echo.js", ECHO);
        HTTP = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    /** One client for all the sockets (each HttpClient has its own selector thread); made after TestServer
     * allowed the Host header, which java.net.http reads once. */
    static HttpClient HTTP;

    /** A JDK WebSocket client whose events land in a queue as strings. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final StringBuilder text = new StringBuilder();
        WebSocket ws;

        static Client open(String host, String path, String... protocols) throws Exception {
            Client c = new Client();
            WebSocket.Builder b = HTTP.newWebSocketBuilder().header("Host", host)
                    .connectTimeout(Duration.ofSeconds(10));
            if (protocols.length > 0) {
                b.subprotocols(protocols[0]);
            }
            c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + t.server.port() + path), c).get(10, TimeUnit.SECONDS);
            assertEquals("text welcome", c.next());
            return c;
        }

        String next() throws InterruptedException {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "no WebSocket event within 10 s");
            return e;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add("text " + text);
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            events.add("binary " + java.util.Arrays.toString(b));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            events.add("pong " + java.nio.charset.StandardCharsets.UTF_8.decode(message));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add("close " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add("error " + error);
        }
    }

    @Test
    void echoesTextBinaryFragmentsAndPings() throws Exception {
        Client c = Client.open("echo.local", "/echo");
        c.ws.sendText("hello", true).get();
        assertEquals("text hello", c.next());
        c.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get();
        assertEquals("binary [1, 2, 3]", c.next());
        c.ws.sendText("frag", false).get();
        c.ws.sendText("men", false).get();
        c.ws.sendText("ted", true).get();
        assertEquals("text fragmented", c.next());
        c.ws.sendPing(ByteBuffer.wrap("hi".getBytes())).get();
        assertEquals("pong hi", c.next());
        c.ws.sendText("info", true).get();
        String info = c.next();
        assertTrue(info.contains("\"readyState\":1") && info.contains("\"binaryType\":\"arraybuffer\""), info);
        c.ws.sendClose(1000, "done").get();
        assertEquals("close 1000 done", c.next());
        t.awaitLog("console", "closed /echo 1000 done true 3");
    }

    @Test
    void thousandMessagesArriveInOrder() throws Exception {
        Client c = Client.open("echo.local", "/order");
        for (int i = 0; i < 1000; i++) {
            c.ws.sendText("m" + i, true).get();
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals("text m" + i, c.next());
        }
        c.ws.sendClose(1000, "").get();
        assertEquals("close 1000 ", c.next());
    }

    @Test
    void theAppClosesWithItsCodeAndTheSubprotocolIsNegotiated() throws Exception {
        Client c = Client.open("echo.local", "/appclose", "chat");
        assertEquals("chat", c.ws.getSubprotocol());
        c.ws.sendText("close", true).get();
        assertEquals("close 4000 bye", c.next()); // the JDK client answers the close frame itself
        t.awaitLog("console", "closed /appclose 4000  true"); // the code (and empty reason) the client echoed
    }

    @Test
    void aVanishingClientClosesTheSocketWith1006() throws Exception {
        Client c = Client.open("echo.local", "/vanish");
        c.ws.abort();
        t.awaitLog("console", "closed /vanish 1006  false 3");
    }

    @Test
    void tooBigMessagesClose1009() throws Exception {
        Client c = Client.open("small.local", "/big");
        c.ws.sendText("x".repeat(500), true).get();
        assertEquals("text " + "x".repeat(500), c.next());
        c.ws.sendText("y".repeat(5_000), true).get();
        assertTrue(c.next().startsWith("close 1009 "));
        t.awaitLog("console", "closed /big 1009");
    }

    @Test
    void idleConnectionsClose1001() throws Exception {
        TestServer main = t;
        try (TestServer idle = TestServer.config(TestServer.options().withLimits(
                ServerLimits.DEFAULTS.withTimeouts(30_000, 60_000, 1_000)),
                "nano.json", "{ \"apps\": [ { \"name\": \"echo\", \"path\": \"echo.js\" } ] }", "echo.js", ECHO)) {
            t = idle;
            Client c = Client.open("echo.local", "/idle");
            assertEquals("close 1001 idle timeout", c.next()); // the server's idle timeout is 1 s here
            idle.awaitLog("console", "closed /idle 1001  true");
        } finally {
            t = main;
        }
    }

    @Test
    void aContextWithAnOpenSocketIsNotClosedAsIdle() throws Exception {
        TestServer main = t;
        try (TestServer quick = TestServer.config("nano.json",
                "{ \"apps\": [ { \"name\": \"echo\", \"path\": \"echo.js\", \"limits\": { \"idleMs\": 200 } } ] }",
                "echo.js", ECHO)) {
            t = quick;
            Client c = Client.open("echo.local", "/kept");
            Thread.sleep(2500); // idle eviction runs every second; the context has had no request for 2 s
            c.ws.sendText("still here", true).get(10, TimeUnit.SECONDS);
            assertEquals("text still here", c.next());
            assertTrue(quick.log("console").stream().noneMatch(n -> n.toString().contains("closed /kept")),
                    quick.log("console").toString());
        } finally {
            t = main;
        }
    }

    @Test
    void twoHundredConcurrentSockets() throws Exception {
        List<Client> clients = new ArrayList<>();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            clients.add(Client.open("echo.local", "/many"));
        }
        for (int i = 0; i < clients.size(); i++) {
            sends.add(clients.get(i).ws.sendText("n" + i, true).thenApply(ws -> null));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < clients.size(); i++) {
            assertEquals("text n" + i, clients.get(i).next());
        }
        for (Client c : clients) {
            c.ws.sendClose(1000, "").get();
        }
        for (Client c : clients) {
            assertEquals("close 1000 ", c.next());
        }
    }

    @Test
    void misuseIsAnInvalidResponse() throws Exception {
        HttpResponse<String> plain = t.send(HttpRequest.newBuilder(t.uri("/")).header("Host", "echo.local").build());
        assertEquals(426, plain.statusCode());
        try (RawClient raw = new RawClient(t.server.port())) {
            raw.send("GET /x HTTP/1.1\r\nHost: echo.local\r\nUpgrade: websocket\r\n\r\n");
            RawClient.Response r = raw.read();
            assertEquals(500, r.status());
            assertTrue(r.body().contains("not a WebSocket upgrade"), r.body());
        }
        try (RawClient raw = new RawClient(t.server.port())) {
            raw.send("GET /not-accepted HTTP/1.1\r\nHost: echo.local\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            RawClient.Response r = raw.read();
            assertEquals(500, r.status());
            assertTrue(r.body().contains("must have status 101"), r.body());
        }
    }

    @Test
    void reloadAndShutdownCloseSocketsWith1001() throws Exception {
        TestServer main = t;
        try (TestServer own = TestServer.config("nano.json",
                "{ \"apps\": [ { \"name\": \"echo\", \"path\": \"echo.js\" } ] }", "echo.js", ECHO)) {
            t = own;
            Client before = Client.open("echo.local", "/reload");
            TestServer.write(own.dir, "echo.js", ECHO + "\n// changed\n");
            own.server.reload();
            assertEquals("close 1001 the app was reloaded or stopped", before.next());
            Client after = Client.open("echo.local", "/shutdown"); // served by the new version
            after.ws.sendText("still here", true).get();
            assertEquals("text still here", after.next());
            Thread stopper = Thread.ofPlatform().start(own.server::shutdown);
            assertEquals("close 1001 the server is shutting down", after.next());
            stopper.join(30_000);
        } finally {
            t = main;
        }
    }

    @Test
    void bufferedAmountCountsWhatTheClientHasNotRead() throws Exception {
        WebSocket ws = HTTP.newWebSocketBuilder().header("Host", "echo.local")
                .buildAsync(URI.create("ws://127.0.0.1:" + t.server.port() + "/flood"), new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {} // requests nothing: reads nothing
                }).get(10, TimeUnit.SECONDS);
        t.awaitLog("console", "buffered 0 true");
        ws.abort();
    }

    @Test
    void messagesBeforeAcceptWaitForIt() throws Exception {
        Client c = new Client();
        c.ws = HTTP.newWebSocketBuilder().header("Host", "echo.local")
                .buildAsync(URI.create("ws://127.0.0.1:" + t.server.port() + "/late"), c).get(10, TimeUnit.SECONDS);
        c.ws.sendText("one", true).get();
        c.ws.sendText("two", true).get();
        assertEquals("text late one", c.next());
        assertEquals("text late two", c.next());
        c.ws.abort();
    }

    /** RFC 7692 on the wire: the offer is accepted, and both directions carry compressed frames (RSV1). */
    @Test
    void permessageDeflateIsNegotiatedAndUsed() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", t.server.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new java.io.DataInputStream(socket.getInputStream());
            out.write(("GET /deflate HTTP/1.1\r\nHost: echo.local\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n").getBytes());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
            assertTrue(head.toString().toLowerCase().contains("sec-websocket-extensions: permessage-deflate"), head.toString());
            java.util.zip.Inflater inflater = new java.util.zip.Inflater(true); // one per connection: context takeover
            assertEquals("welcome", readCompressedText(in, inflater));
            String message = "compress me ".repeat(100);
            java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
            deflater.setInput(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] buf = new byte[4096];
            int n = deflater.deflate(buf, 0, buf.length, java.util.zip.Deflater.SYNC_FLUSH);
            byte[] payload = java.util.Arrays.copyOf(buf, n - 4); // RFC 7692 §7.2.1: without 00 00 ff ff
            byte[] mask = {1, 2, 3, 4};
            java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
            frame.write(0x80 | 0x40 | 0x1); // FIN, RSV1 (compressed), text
            frame.write(0x80 | payload.length); // masked; short payload (< 126)
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i % 4]);
            }
            assertTrue(payload.length < 126);
            out.write(frame.toByteArray());
            assertEquals(message, readCompressedText(in, inflater));
        }
    }

    /** Reads one unmasked server frame that must be a compressed text message. */
    private static String readCompressedText(java.io.DataInputStream in, java.util.zip.Inflater inflater) throws Exception {
        int b0 = in.readUnsignedByte();
        assertEquals(0xC1, b0, "FIN + RSV1 + text");
        int len = in.readUnsignedByte() & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        }
        byte[] payload = new byte[len + 4];
        in.readFully(payload, 0, len);
        payload[len + 2] = (byte) 0xff;
        payload[len + 3] = (byte) 0xff;
        inflater.setInput(payload);
        byte[] outBuf = new byte[65536];
        int n = inflater.inflate(outBuf);
        return new String(outBuf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
