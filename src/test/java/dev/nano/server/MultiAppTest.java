package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several apps from one nano.json on one port: routing, isolation, failures contained. */
class MultiAppTest {
    static final String NANO_JSON = """
            { "port": 0, "workers": 2,
              "apps": [
                { "name": "shop", "hostnames": ["shop.local"], "path": "shop",
                  "env": { "SECRET": "s1", "LIMITS": { "n": 3, "list": [1, 2] } } },
                { "name": "api", "hostnames": ["shop.local"], "pathPrefix": "/api/", "path": "api.js" },
                { "name": "wild", "hostnames": ["*.example.com"], "path": "echo.js", "env": { "NAME": "wild" } },
                { "name": "deep", "hostnames": ["*.deep.example.com", "exact.example.com"], "path": "echo.js",
                  "env": { "NAME": "deep" } },
                { "name": "broken", "hostnames": ["broken.local"], "path": "broken.js" },
                { "name": "thrower", "hostnames": ["thrower.local"], "path": "thrower.js" },
                { "name": "nohandler", "hostnames": ["nohandler.local"], "path": "nohandler.js" },
                { "name": "sw", "hostnames": ["sw.local"], "path": "sw.js" },
                { "name": "small", "hostnames": ["small.local"], "path": "echo.js", "limits": { "bodyMb": 0.001 } }
              ] }
            """;
    static final String SHOP = """
            export default {
              fetch(request, env) {
                globalThis.leak = env.SECRET;
                let mutated;
                try { env.SECRET = 'changed'; mutated = true; } catch { mutated = false; }
                try { env.LIMITS.n = 4; } catch {}
                return Response.json({ app: 'shop', secret: env.SECRET, limits: env.LIMITS, mutated, path: new URL(request.url).pathname });
              },
            };
            """;
    static final String ECHO = """
            export default {
              async fetch(request, env) {
                return Response.json({ name: env.NAME ?? null, secret: env.SECRET ?? null, leak: typeof globalThis.leak,
                                       host: new URL(request.url).host, length: (await request.arrayBuffer()).byteLength });
              },
            };
            """;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.config("nano.json", NANO_JSON,
                "shop/index.js", SHOP,
                "api.js", "export default { fetch: () => new Response('api') };",
                "echo.js", ECHO,
                "broken.js", "export default { fetch() { return new Response('x') } ;; ) }",
                "thrower.js", "throw new Error('top-level failure');\nexport default {};",
                "nohandler.js", "export default { hello() {} };",
                "sw.js", """
                        addEventListener('fetch', (event) => {
                          event.waitUntil(Promise.resolve());
                          event.respondWith(new Response('from a service worker: ' + event.request.method));
                        });
                        """);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return TestServer.JSON.readTree(r.body());
    }

    @Test
    void twoAppsOnOneHostSplitByPathPrefix() throws Exception {
        assertEquals("shop", json(t.get("shop.local", "/cart")).get("app").asText());
        assertEquals("api", t.get("shop.local", "/api").body());
        assertEquals("api", t.get("shop.local", "/api/orders/1").body());
        assertEquals("shop", json(t.get("shop.local", "/apiary")).get("app").asText(), "prefixes match whole segments");
        assertEquals("shop", json(t.get("SHOP.local.:80", "/")).get("app").asText(), "hosts compare case-insensitively, without port");
    }

    @Test
    void wildcardHostsMatchSubdomainsAndTheLongestSuffixWins() throws Exception {
        assertEquals("wild", json(t.get("a.example.com", "/")).get("name").asText());
        assertEquals("wild", json(t.get("a.b.example.com", "/")).get("name").asText());
        assertEquals("deep", json(t.get("x.deep.example.com", "/")).get("name").asText());
        assertEquals("deep", json(t.get("exact.example.com", "/")).get("name").asText());
        HttpResponse<String> apex = t.get("example.com", "/");
        assertEquals(404, apex.statusCode(), "*.example.com does not match example.com itself");
    }

    @Test
    void unknownHostsGet404WithJsonNamingTheHost() throws Exception {
        HttpResponse<String> r = t.get("nobody.test", "/x");
        assertEquals(404, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        JsonNode body = json(r);
        assertEquals("nobody.test", body.get("host").asText());
        assertEquals("/x", body.get("path").asText());
    }

    @Test
    void envIsPerAppFrozenAndHoldsJsonValues() throws Exception {
        JsonNode shop = json(t.get("shop.local", "/"));
        assertEquals("s1", shop.get("secret").asText());
        assertEquals(false, shop.get("mutated").asBoolean());
        assertEquals(3, shop.get("limits").get("n").asInt());
        assertEquals(2, shop.get("limits").get("list").size());
        JsonNode other = json(t.get("a.example.com", "/"));
        assertTrue(other.get("secret").isNull(), "another app cannot see shop's env");
        assertEquals("undefined", other.get("leak").asText(), "nor its globals");
    }

    @Test
    void appsThatFailToLoadAnswer503AndAreLoggedOnceWhileOthersServe() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = t.get("broken.local", "/");
            assertEquals(503, r.statusCode());
            assertTrue(r.body().contains("failed to load"), r.body());
        }
        assertEquals(503, t.get("thrower.local", "/").statusCode());
        assertEquals(503, t.get("nohandler.local", "/").statusCode());
        assertEquals(200, t.get("shop.local", "/").statusCode());
        long brokenLines = t.log("error").stream().filter(n -> n.get("app").asText().equals("broken")).count();
        assertEquals(1, brokenLines, t.log("error").toString());
        JsonNode broken = t.awaitLog("error", "\"broken\"");
        assertEquals("load", broken.get("kind").asText());
        assertTrue(broken.get("message").asText().contains("SyntaxError"), broken.toString());
        assertTrue(t.awaitLog("error", "\"thrower\"").get("message").asText().contains("top-level failure"));
        assertTrue(t.awaitLog("error", "\"nohandler\"").get("message").asText().contains("no fetch(request, env, ctx) method"));
        assertEquals("failed", TestServer.JSON.readTree(TestServer.JSON.writeValueAsString(
                AdminHandler.describe(t.server.registry().get("broken")))).get("status").asText());
    }

    @Test
    void serviceWorkerSyntaxIsServed() throws Exception {
        HttpResponse<String> r = t.send(HttpRequest.newBuilder(t.uri("/")).header("Host", "sw.local")
                .method("PUT", HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals("from a service worker: PUT", r.body());
    }

    @Test
    void bodyLimitsArePerApp() throws Exception {
        HttpRequest.Builder big = HttpRequest.newBuilder(t.uri("/")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(2000)));
        assertEquals(413, t.send(big.copy().header("Host", "small.local").build()).statusCode());
        HttpResponse<String> ok = t.send(big.copy().header("Host", "a.example.com").build());
        assertEquals(2000, json(ok).get("length").asInt());
    }
}
