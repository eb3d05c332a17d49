package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The Cache API through the real server: an app whose routes put and match entries of
 * {@code caches.default}, so that conditional and Range answers, expiry, budgets, isolation between
 * apps and the disk store are seen the way a client sees them.
 */
class CacheServerTest {
    /** PUT /k?path stores the body under path with the headers of x-put-headers (JSON); GET /k?path answers from the cache. */
    static final String APP = """
            const ctx = crypto.randomUUID();
            export default {
              async fetch(request) {
                const url = new URL(request.url);
                const key = new Request('https://cache.test' + url.search.slice(1), { headers: request.headers });
                if (request.method === 'PUT') {
                  const headers = JSON.parse(request.headers.get('x-put-headers') ?? '{}');
                  try {
                    await caches.default.put(key, new Response(request.body, { headers }));
                  } catch (e) {
                    return new Response(e.name + ': ' + e.message, { status: 400, headers: { 'x-ctx': ctx } });
                  }
                  return new Response('stored', { headers: { 'x-ctx': ctx } });
                }
                if (request.method === 'DELETE') return new Response(String(await caches.default.delete(key)));
                const hit = await caches.default.match(key);
                if (hit === undefined) return new Response('miss', { status: 404, headers: { 'x-ctx': ctx } });
                const out = new Response(hit.body, hit);
                out.headers.set('x-ctx', ctx);
                return out;
              },
            };
            """;

    private static HttpResponse<String> put(TestServer t, String host, String path, String body, String headersJson)
            throws Exception {
        return t.send(HttpRequest.newBuilder(t.uri("/k?" + path)).header("Host", host)
                .header("x-put-headers", headersJson).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> get(TestServer t, String host, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(t.uri("/k?" + path)).header("Host", host);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return t.send(b.build());
    }

    @Test
    void putMatchConditionalAndRangeOverHttp() throws Exception {
        try (TestServer t = TestServer.app(APP)) {
            assertEquals(200, put(t, "x", "/a", "0123456789",
                    "{\"etag\":\"\\\"e1\\\"\",\"last-modified\":\"Tue, 01 Jan 2030 00:00:00 GMT\",\"content-type\":\"text/x\"}")
                    .statusCode());
            HttpResponse<String> hit = get(t, "x", "/a");
            assertEquals(200, hit.statusCode());
            assertEquals("0123456789", hit.body());
            assertEquals("text/x", hit.headers().firstValue("content-type").orElse(""));
            assertEquals(304, get(t, "x", "/a", "If-None-Match", "\"e1\"").statusCode());
            assertEquals(200, get(t, "x", "/a", "If-None-Match", "\"e2\"").statusCode());
            assertEquals(304, get(t, "x", "/a", "If-Modified-Since", "Wed, 02 Jan 2030 00:00:00 GMT").statusCode());
            HttpResponse<String> part = get(t, "x", "/a", "Range", "bytes=3-5");
            assertEquals(206, part.statusCode());
            assertEquals("345", part.body());
            assertEquals("bytes 3-5/10", part.headers().firstValue("content-range").orElse(""));
            HttpResponse<String> none = get(t, "x", "/a", "Range", "bytes=10-");
            assertEquals(416, none.statusCode());
            assertEquals("bytes */10", none.headers().firstValue("content-range").orElse(""));
            assertEquals(404, get(t, "x", "/other").statusCode());
            assertEquals("true", t.send(HttpRequest.newBuilder(t.uri("/k?/a")).DELETE().build()).body());
            assertEquals(404, get(t, "x", "/a").statusCode());
        }
    }

    @Test
    void varyNoStoreRefusalsAndExpiry() throws Exception {
        try (TestServer t = TestServer.app(APP)) {
            put(t, "x", "/v", "fr", "{\"vary\":\"Accept-Language\"}");
            // java.net.http sends no Accept-Language: the stored request had none
            assertEquals(200, get(t, "x", "/v").statusCode());
            assertEquals(404, get(t, "x", "/v", "Accept-Language", "de").statusCode());
            put(t, "x", "/ns", "x", "{\"cache-control\":\"no-store\"}");
            assertEquals(404, get(t, "x", "/ns").statusCode());
            HttpResponse<String> star = put(t, "x", "/star", "x", "{\"vary\":\"*\"}");
            assertEquals(400, star.statusCode());
            assertTrue(star.body().startsWith("TypeError"), star.body());
            put(t, "x", "/short", "x", "{\"cache-control\":\"public, max-age=1\"}");
            assertEquals(200, get(t, "x", "/short").statusCode());
            long deadline = System.nanoTime() + 10_000_000_000L;
            int status;
            do {
                Thread.sleep(100);
                status = get(t, "x", "/short").statusCode();
            } while (status == 200 && System.nanoTime() < deadline);
            assertEquals(404, status, "the entry should expire after max-age=1");
        }
    }

    @Test
    void everyContextOfAnAppSeesItsCache() throws Exception {
        try (TestServer t = TestServer.app(APP)) {
            String putCtx;
            try (RawClient a = new RawClient(t.server.port())) {
                a.send("PUT /k?/shared HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nshared");
                RawClient.Response r = a.read();
                assertEquals(200, r.status());
                putCtx = r.headers().get("x-ctx");
            }
            // Connections are spread over the worker threads: find one served by another context.
            String otherCtx = null;
            String body = null;
            for (int i = 0; i < 8 && otherCtx == null; i++) {
                try (RawClient b = new RawClient(t.server.port())) {
                    b.send("GET /k?/shared HTTP/1.1\r\nHost: x\r\n\r\n");
                    RawClient.Response r = b.read();
                    assertEquals(200, r.status());
                    if (!putCtx.equals(r.headers().get("x-ctx"))) {
                        otherCtx = r.headers().get("x-ctx");
                        body = r.body();
                    }
                }
            }
            assertNotEquals(null, otherCtx, "no request reached the app's second context");
            assertEquals("shared", body);
        }
    }

    static final String TWO_APPS = """
            { "workers": 2, "apps": [
              { "name": "a", "hostnames": ["a.local"], "path": "cache.js" },
              { "name": "b", "hostnames": ["b.local"], "path": "cache.js" },
              { "name": "small", "hostnames": ["small.local"], "path": "cache.js", "cache": { "maxMb": 0.01 } } ] }
            """;

    @Test
    void appsNeverShareCachesAndBudgetsEvictLeastRecentlyUsed() throws Exception {
        try (TestServer t = TestServer.config("nano.json", TWO_APPS, "cache.js", APP)) {
            put(t, "a.local", "/same", "from a", "{}");
            assertEquals("from a", get(t, "a.local", "/same").body());
            assertEquals(404, get(t, "b.local", "/same").statusCode());
            put(t, "b.local", "/same", "from b", "{}");
            assertEquals("from a", get(t, "a.local", "/same").body());
            assertEquals("from b", get(t, "b.local", "/same").body());

            String fourKb = "x".repeat(4000);
            put(t, "small.local", "/1", fourKb, "{}");
            put(t, "small.local", "/2", fourKb, "{}");
            assertEquals(200, get(t, "small.local", "/1").statusCode()); // /1 is now more recent than /2
            put(t, "small.local", "/3", fourKb, "{}"); // over 10 KB: the least recently used (/2) goes
            assertEquals(200, get(t, "small.local", "/1").statusCode());
            assertEquals(404, get(t, "small.local", "/2").statusCode());
            assertEquals(200, get(t, "small.local", "/3").statusCode());
            HttpResponse<String> tooBig = put(t, "small.local", "/4", "y".repeat(20_000), "{}");
            assertEquals(400, tooBig.statusCode());
            assertTrue(tooBig.body().startsWith("QuotaExceededError"), tooBig.body());
        }
    }

    @Test
    void aDiskStoreSurvivesARestart() throws Exception {
        Path dir = Files.createTempDirectory("nano-cache");
        String config = "{ \"apps\": [ { \"name\": \"d\", \"path\": \"cache.js\", \"cache\": { \"dir\": "
                + TestServer.JSON.writeValueAsString(dir.toString()) + " } } ] }";
        String big = "0123456789abcdef".repeat(20_000); // 320 KB: read back in several pieces
        try (TestServer t = TestServer.config("nano.json", config, "cache.js", APP)) {
            assertEquals(200, put(t, "x", "/big", big, "{\"etag\":\"\\\"b\\\"\"}").statusCode());
            assertEquals(200, put(t, "x", "/small", "small", "{\"cache-control\":\"max-age=3600\"}").statusCode());
            assertEquals(200, put(t, "x", "/gone", "gone", "{}").statusCode());
            assertEquals("true", t.send(HttpRequest.newBuilder(t.uri("/k?/gone")).DELETE().build()).body());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(5, files.count(), "caches.json and two files per entry"); // big + small
        }
        try (TestServer t = TestServer.config("nano.json", config, "cache.js", APP)) {
            HttpResponse<String> r = get(t, "x", "/big");
            assertEquals(200, r.statusCode());
            assertEquals(big, r.body());
            assertEquals(304, get(t, "x", "/big", "If-None-Match", "\"b\"").statusCode());
            HttpResponse<String> range = get(t, "x", "/big", "Range", "bytes=319990-");
            assertEquals(206, range.statusCode());
            assertEquals(big.substring(319_990), range.body());
            assertEquals("small", get(t, "x", "/small").body());
            assertEquals(404, get(t, "x", "/gone").statusCode());
        }
    }
}
