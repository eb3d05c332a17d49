package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.nano.apps.ConfigException;
import dev.nano.apps.ConfigLoader;
import dev.nano.ext.fetch.Upstream;

/**
 * Outbound fetch() from apps served by a real NANO server: many fetches in flight without holding a
 * worker, another app serving meanwhile, connection reuse, the per-request limits, the address rules
 * and the app's timeout from nano.json.
 */
class FetchServeTest {
    static final String PROXY = """
            export default {
              async fetch(request) {
                const url = new URL(request.url);
                const target = url.searchParams.get('to');
                const count = Number(url.searchParams.get('n') ?? '1');
                const results = await Promise.all(Array.from({ length: count }, () =>
                  fetch(target).then(async (r) => `${r.status}:${await r.text()}`).catch((e) => `${e.name}: ${e.message}`)));
                return new Response(results.join('|'));
              },
            };
            """;
    static Upstream up;
    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        up = new Upstream();
        t = TestServer.config("nano.json", """
                { "port": 0, "workers": 2, "admin": { "port": 0 },
                  "apps": [
                    { "name": "proxy", "hostnames": ["proxy.local"], "path": "proxy.js" },
                    { "name": "other", "hostnames": ["other.local"], "path": "other.js" },
                    { "name": "limited", "hostnames": ["limited.local"], "path": "proxy.js",
                      "fetch": { "maxSubrequests": 3, "maxConcurrent": 2 } },
                    { "name": "impatient", "hostnames": ["impatient.local"], "path": "proxy.js",
                      "fetch": { "timeoutMs": 500 } },
                    { "name": "denied", "hostnames": ["denied.local"], "path": "proxy.js",
                      "fetch": { "deny": ["127.0.0.0/8"] } }
                  ] }
                """,
                "proxy.js", PROXY,
                "other.js", "export default { fetch: () => new Response('other') };");
    }

    @AfterAll
    static void stop() {
        t.close();
        up.close();
    }

    private static String to(String path) {
        return java.net.URLEncoder.encode(up.base() + path, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void twoHundredFetchesWaitTogetherWhileAnotherAppKeepsServing() throws Exception {
        up.gate = new CountDownLatch(1);
        int before = up.held.get();
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            pending.add(t.client.sendAsync(HttpRequest.newBuilder(t.uri("/?to=" + to("/held"))).header("Host", "proxy.local").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // all 200 are at the upstream at once, on 2 worker threads: no thread waits per fetch
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (up.held.get() < before + 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(before + 200, up.held.get(), "fetches in flight at the upstream");
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = t.get("other.local", "/");
            assertEquals("other", r.body());
        }
        assertTrue(pending.stream().noneMatch(CompletableFuture::isDone), "the proxied requests answered before the upstream did");
        up.gate.countDown();
        for (CompletableFuture<HttpResponse<String>> f : pending) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals("200:held", r.body());
        }
    }

    @Test
    void aReloadLetsTheFetchesOfRequestsInFlightFinish() throws Exception {
        up.gate = new CountDownLatch(1);
        int before = up.held.get();
        CompletableFuture<HttpResponse<String>> pending = t.client.sendAsync(
                HttpRequest.newBuilder(t.uri("/?to=" + to("/held"))).header("Host", "proxy.local").build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (up.held.get() < before + 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), t.server.reload()); // new versions of every app; the old ones retire when idle
        up.gate.countDown();
        assertEquals("200:held", pending.get(30, TimeUnit.SECONDS).body());
        assertEquals("200:hello", t.get("proxy.local", "/?to=" + to("/text")).body());
    }

    @Test
    void keepAliveConnectionsAreReused() throws Exception {
        for (int i = 0; i < 3; i++) {
            t.get("proxy.local", "/?to=" + to("/port")); // warm: the pool has a connection
        }
        int before = up.connections.size();
        for (int i = 0; i < 10; i++) {
            assertEquals(200, t.get("proxy.local", "/?to=" + to("/port")).statusCode());
        }
        assertTrue(up.connections.size() <= before + 1, "new connections for 10 sequential fetches: " + (up.connections.size() - before));
    }

    @Test
    void subrequestsPerRequestAreLimitedAndConcurrencyIsQueued() throws Exception {
        String over = t.get("limited.local", "/?n=4&to=" + to("/text")).body();
        String[] results = over.split("\\|");
        assertEquals(4, results.length, over);
        assertEquals(3, java.util.Arrays.stream(results).filter("200:hello"::equals).count(), over);
        assertTrue(over.contains("TypeError: Too many subrequests: an incoming request may make at most 3 fetch() calls"), over);

        up.mostInside.set(0);
        String queued = t.get("limited.local", "/?n=3&to=" + to("/slow?ms=150")).body();
        assertEquals("200:slow|200:slow|200:slow", queued);
        assertTrue(up.mostInside.get() <= 2, "at most 2 at once, saw " + up.mostInside.get());
    }

    @Test
    void theAppsTimeoutRejectsWithATimeoutError() throws Exception {
        String body = t.get("impatient.local", "/?to=" + to("/hang")).body();
        assertTrue(body.startsWith("TimeoutError: fetch of " + up.base() + "/hang timed out after 500 ms"), body);
    }

    @Test
    void denyListsAndTheAdminPortAreRefused() throws Exception {
        String denied = t.get("denied.local", "/?to=" + to("/text")).body();
        assertTrue(denied.startsWith("TypeError: fetch to " + up.base() + " refused: the address 127.0.0.1 of '127.0.0.1' is on the app's fetch deny list"), denied);
        String admin = "http://127.0.0.1:" + t.server.adminPort() + "/healthz";
        String body = t.get("proxy.local", "/?to=" + java.net.URLEncoder.encode(admin, java.nio.charset.StandardCharsets.UTF_8)).body();
        assertTrue(body.contains("refused: port " + t.server.adminPort() + " of this machine is NANO's admin API"), body);
    }

    @Test
    void badFetchSettingsAreConfigErrorsWithTheirPath() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                { "apps": [ { "name": "a", "path": "a.js",
                  "fetch": { "timeoutMs": 0, "deny": ["10.0.0.0/33", "bad host!"], "allow": "x", "other": 1 } } ] }
                """, t.dir, null));
        String m = e.getMessage();
        assertTrue(m.contains("apps[0].fetch.timeoutMs: must be an integer from 1"), m);
        assertTrue(m.contains("apps[0].fetch.deny[0]: \"10.0.0.0/33\" has an invalid prefix length (0 to 32)"), m);
        assertTrue(m.contains("apps[0].fetch.deny[1]: \"bad host!\" is neither a host name"), m);
        assertTrue(m.contains("apps[0].fetch.allow: must be an array"), m);
        assertTrue(m.contains("apps[0].fetch.other: unknown field"), m);
    }
}
