package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API on its own port: token, apps list/add/replace/remove, reload, health, metrics. */
class AdminApiTest {
    static final String TOKEN = "s3cret";
    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.config("nano.json", """
                { "apps": [ { "name": "main", "hostnames": ["main.test"], "path": "main.js" },
                            { "name": "metered", "hostnames": ["metered.test"], "path": "metered.js" } ],
                  "admin": { "port": 0, "token": "%s" } }
                """.formatted(TOKEN),
                "main.js", "export default { fetch: () => new Response('main') };",
                "metered.js", """
                        export default { fetch(request) {
                          const p = new URL(request.url).pathname;
                          if (p === '/boom') throw new Error('boom');
                          return new Response('ok', { status: p === '/missing' ? 404 : 200 });
                        } };
                        """,
                "other/index.js", "export default { fetch: (r, env) => new Response('other ' + env.GREETING) };");
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static HttpResponse<String> admin(String method, String path, String body, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.server.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (withToken) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        return t.send(b.build());
    }

    static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return admin(method, path, body, true);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return TestServer.JSON.readTree(r.body());
    }

    @Test
    void healthAndReadinessNeedNoTokenEverythingElseDoes() throws Exception {
        assertEquals(200, admin("GET", "/healthz", null, false).statusCode());
        HttpResponse<String> ready = admin("GET", "/readyz", null, false);
        assertEquals(200, ready.statusCode());
        assertEquals("ready", json(ready).get("status").asText());
        HttpResponse<String> denied = admin("GET", "/apps", null, false);
        assertEquals(401, denied.statusCode());
        assertEquals("Bearer", denied.headers().firstValue("www-authenticate").orElse(""));
        assertEquals(401, t.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.server.adminPort() + "/metrics"))
                .header("Authorization", "Bearer wrong").build()).statusCode());
        assertEquals(404, admin("GET", "/nothing", null).statusCode());
    }

    @Test
    void listsAppsWithStatusAndCounters() throws Exception {
        t.get("main.test", "/");
        JsonNode apps = json(admin("GET", "/apps", null));
        JsonNode main = null;
        for (JsonNode a : apps) {
            if (a.get("name").asText().equals("main")) {
                main = a;
            }
        }
        assertEquals("ready", main.get("status").asText());
        assertEquals("main.test", main.get("hostnames").get(0).asText());
        assertTrue(main.get("requests").asLong() >= 1);
        assertTrue(main.get("contexts").asInt() >= 1);
        assertEquals(404, admin("GET", "/apps/none", null).statusCode());
    }

    @Test
    void addReplaceAndRemoveAnApp() throws Exception {
        String other = t.dir.resolve("other").toString().replace("\\", "\\\\");
        HttpResponse<String> created = admin("PUT", "/apps/other",
                "{ \"hostnames\": [\"other.test\"], \"path\": \"" + other + "\", \"env\": { \"GREETING\": \"hi\" } }");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("other hi", t.get("other.test", "/").body());

        assertEquals(409, admin("POST", "/apps/other", "{ \"path\": \"" + other + "\" }").statusCode());

        HttpResponse<String> replaced = admin("PUT", "/apps/other",
                "{ \"hostnames\": [\"other.test\"], \"module\": \"export default { fetch: () => new Response('uploaded') }\" }");
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals("uploaded", t.get("other.test", "/").body());

        HttpResponse<String> broken = admin("PUT", "/apps/other",
                "{ \"hostnames\": [\"other.test\"], \"module\": \"export default { fetch( \" }");
        assertEquals(422, broken.statusCode());
        assertTrue(json(broken).get("reason").asText().contains("SyntaxError"), broken.body());
        assertEquals("uploaded", t.get("other.test", "/").body(), "a broken replacement leaves the old version serving");

        HttpResponse<String> invalid = admin("PUT", "/apps/other", "{ \"hostnames\": [1], \"path\": \"/no/such\" }");
        assertEquals(400, invalid.statusCode());
        String problems = json(invalid).get("problems").toString();
        assertTrue(problems.contains("hostnames[0]: must be a string") && problems.contains("path: "), problems);
        assertEquals(400, admin("PUT", "/apps/other", "not json").statusCode());

        assertEquals(204, admin("DELETE", "/apps/other", null).statusCode());
        assertEquals(404, t.get("other.test", "/").statusCode());
        assertEquals(404, admin("DELETE", "/apps/other", null).statusCode());
    }

    @Test
    void reloadRereadsTheConfigAndReportsProblems() throws Exception {
        Files.writeString(t.dir.resolve("main.js"), "export default { fetch: () => new Response('main v2') };");
        HttpResponse<String> ok = admin("POST", "/reload", null);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("main v2", t.get("main.test", "/").body());
        String good = Files.readString(t.dir.resolve("nano.json"));
        try {
            Files.writeString(t.dir.resolve("nano.json"), "{ \"apps\": 3 }");
            HttpResponse<String> bad = admin("POST", "/reload", null);
            assertEquals(400, bad.statusCode());
            assertTrue(json(bad).get("problems").get(0).asText().startsWith("apps: must be an array"), bad.body());
            assertEquals("main v2", t.get("main.test", "/").body());
        } finally {
            Files.writeString(t.dir.resolve("nano.json"), good);
        }
        assertEquals(405, admin("GET", "/reload", null).statusCode());
    }

    private static double metric(String text, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void metricsCountTheRequestsSent() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(200, t.get("metered.test", "/").statusCode());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(404, t.get("metered.test", "/missing").statusCode());
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(500, t.get("metered.test", "/boom").statusCode());
        }
        HttpResponse<String> r = admin("GET", "/metrics", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        String text = r.body();
        assertEquals(5, metric(text, "nano_http_requests_total", "app=\"metered\",status_class=\"2xx\""), text);
        assertEquals(3, metric(text, "nano_http_requests_total", "app=\"metered\",status_class=\"4xx\""));
        assertEquals(2, metric(text, "nano_http_requests_total", "app=\"metered\",status_class=\"5xx\""));
        assertEquals(2, metric(text, "nano_app_errors_total", "app=\"metered\",kind=\"exception\""));
        assertEquals(10, metric(text, "nano_http_request_duration_seconds_count", "app=\"metered\""));
        assertTrue(metric(text, "nano_app_contexts", "app=\"metered\"") >= 1);
        assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"}"), "JVM heap");
        assertTrue(text.contains("jvm_threads_current"), "JVM threads");
        assertTrue(text.contains("jvm_gc_collection_seconds"), "GC");
    }
}
