package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outbound WebSockets from an app, against an upstream echo app on the same real server:
 * {@code new WebSocket(url)}, the fetch address rules, and a bridge made with
 * {@code fetch(url, { headers: { Upgrade: 'websocket' } })}.
 */
class WebSocketClientServerTest {
    /** Runs one scenario against ?to=<url> and answers with what happened, a line per event. */
    static final String CLIENT = """
            export default {
              async fetch(request) {
                const url = new URL(request.url);
                const to = url.searchParams.get('to');
                const mode = url.searchParams.get('mode');
                const log = [];
                const ws = new WebSocket(to, ['chat', 'other']);
                log.push(`${ws.readyState} ${ws.url === to.replace(/^http/, 'ws')} ${ws.binaryType}`);
                ws.binaryType = 'arraybuffer';
                await new Promise((resolve) => {
                  ws.onopen = () => {
                    log.push(`open ${ws.readyState} ${ws.protocol} '${ws.extensions}'`);
                  };
                  ws.onmessage = (e) => {
                    log.push('message ' + (typeof e.data === 'string' ? e.data : 'bytes ' + new Uint8Array(e.data).join()));
                    if (e.data === 'welcome') {
                      if (mode === 'client-close') { ws.close(3001, 'client bye'); log.push('closing ' + ws.readyState); return; }
                      ws.send('hi'); ws.send(new Uint8Array([1, 2, 3]));
                      for (let i = 0; i < 100; i++) ws.send('n' + i);
                      log.push('buffered ' + (ws.bufferedAmount >= 0));
                    } else if (e.data === 'n99') {
                      ws.send('close'); // the echo app closes with 4000 bye
                    }
                  };
                  ws.onerror = (e) => log.push('error ' + e.message);
                  ws.onclose = (e) => { log.push(`close ${e.code} ${e.reason} ${e.wasClean} ${ws.readyState}`); resolve(); };
                });
                return new Response(log.filter((l) => !/^message n\\d+$/.test(l) || l === 'message n0' || l === 'message n99').join('\\n'));
              },
            };
            """;

    /** Bridges an incoming WebSocket to the upstream echo app through fetch() with Upgrade: websocket. */
    static final String BRIDGE = """
            export default {
              async fetch(request) {
                const to = new URL(request.url).searchParams.get('to');
                const response = await fetch(to, { headers: { Upgrade: 'websocket' } });
                const upstream = response.webSocket;
                upstream.accept();
                const [client, server] = Object.values(new WebSocketPair());
                server.accept();
                server.send(`upstream ${response.status} ${upstream.readyState}`);
                server.addEventListener('message', (e) => upstream.send(e.data));
                upstream.addEventListener('message', (e) => server.send(e.data));
                upstream.addEventListener('close', (e) => server.close(e.code, e.reason));
                server.addEventListener('close', () => upstream.close());
                return new Response(null, { status: 101, webSocket: client });
              },
            };
            """;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.config("nano.json", """
                        { "workers": 2, "apps": [
                          { "name": "echo", "pathPrefix": "/echo", "path": "echo.js" },
                          { "name": "client", "pathPrefix": "/client", "path": "client.js" },
                          { "name": "denied", "pathPrefix": "/denied", "path": "client.js", "fetch": { "deny": ["127.0.0.0/8"] } },
                          { "name": "bridge", "pathPrefix": "/bridge", "path": "bridge.js" } ] }
                        """,
                "echo.js", WebSocketServerTest.ECHO, "client.js", CLIENT, "bridge.js", BRIDGE);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static String get(String path, String to) throws Exception {
        String uri = "http://127.0.0.1:" + t.server.port() + path + (path.contains("?") ? "" : "?") + "to=" + java.net.URLEncoder.encode(to, "UTF-8");
        HttpResponse<String> r = t.client.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static String echoUrl(String scheme) {
        return scheme + "://127.0.0.1:" + t.server.port() + "/echo";
    }

    @Test
    void anAppTalksToAnUpstreamWebSocket() throws Exception {
        assertEquals("""
                0 true blob
                open 1 chat ''
                message welcome
                buffered true
                message hi
                message bytes 1,2,3
                message n0
                message n99
                close 4000 bye true 3""", get("/client", echoUrl("ws")));
    }

    @Test
    void theClientClosesWithItsCodeAndReason() throws Exception {
        assertEquals("""
                0 true blob
                open 1 chat ''
                message welcome
                closing 2
                close 3001 client bye true 3""", get("/client?mode=client-close&", echoUrl("http")));
        // the upstream app saw the client's code and reason
        waitForLog("closed /echo 3001 client bye true 3");
    }

    @Test
    void theFetchDenyListRefusesTheTarget() throws Exception {
        String out = get("/denied", echoUrl("ws"));
        String[] lines = out.split("\n");
        assertEquals(3, lines.length, out);
        assertTrue(lines[1].startsWith("error ") && lines[1].contains("deny list"), out);
        assertEquals("close 1006  false 3", lines[2]);
    }

    @Test
    void anUpstreamThatIsNotAWebSocketServerFails() throws Exception {
        String out = get("/client", "ws://127.0.0.1:" + t.server.port() + "/client-nothing-here");
        assertTrue(out.contains("\nerror ") && out.endsWith("close 1006  false 3"), out);
    }

    @Test
    void anAppBridgesAClientToAnUpstreamWebSocket() throws Exception {
        WebSocketServerTest.Client c = new WebSocketServerTest.Client();
        try {
            c.ws = t.client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create("ws://127.0.0.1:" + t.server.port() + "/bridge?to="
                            + java.net.URLEncoder.encode(echoUrl("http"), "UTF-8")), c).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the bridge refused the upgrade; the server's log:\n" + String.join("\n", t.logLines), e);
        }
        String first = c.next();
        assertEquals("text upstream 101 1", first, () -> String.join("\n", t.logLines));
        assertEquals("text welcome", c.next());
        c.ws.sendText("through the bridge", true).get(10, TimeUnit.SECONDS);
        assertEquals("text through the bridge", c.next());
        c.ws.sendText("close", true).get(10, TimeUnit.SECONDS);
        assertEquals("close 4000 bye", c.next());
    }

    private static void waitForLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            synchronized (t.logLines) {
                if (t.logLines.stream().anyMatch(l -> l.contains(text))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line with '" + text + "' in " + t.logLines);
    }
}
