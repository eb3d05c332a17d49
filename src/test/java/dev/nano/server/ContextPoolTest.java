package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Apps added to a running server start from spare contexts (bootstrapped ahead of need, see
 * {@link dev.nano.apps.ContextPool}), and such a context is the app's alone: its imports read only
 * the app's folder, its console goes to the app's log, and nothing another app did is visible in it.
 */
class ContextPoolTest {
    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.config("nano.json", """
                { "workers": 1, "apps": [ { "name": "main", "hostnames": ["main.test"], "path": "main.js" } ],
                  "admin": { "port": 0 } }
                """,
                "main.js", "export default { fetch: () => new Response('main') };",
                // a: imports a file of its own folder, leaves a global behind, logs at load
                "a/index.js", """
                        import { word } from './lib.js';
                        globalThis.leftByA = 'a was here';
                        console.log('a loaded');
                        export default { fetch: () => new Response(word + ' ' + typeof globalThis.leftByA) };
                        """,
                "a/lib.js", "export const word = 'from-a-lib';",
                // b: tries to read a's file, and to see what a left behind
                "b/index.js", """
                        let imported = 'refused';
                        try { imported = (await import('../a/lib.js')).word; } catch (e) { imported = 'refused: ' + e.message; }
                        export default { fetch: () => new Response(imported + ' | ' + typeof globalThis.leftByA) };
                        """);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void newAppsStartFromSpareContextsThatAreTheirsAlone() throws Exception {
        long takenBefore = awaitSpareReady();
        assertEquals(201, add("a").statusCode());
        assertEquals("from-a-lib string", t.get("a.test", "/").body());
        assertTrue(metric("nano_context_pool_taken_total") > takenBefore, "app a started from a spare context");
        assertTrue(t.logLines.stream().anyMatch(l -> l.contains("\"app\":\"a\"") && l.contains("a loaded")),
                "the spare's console writes to its app's log: " + t.logLines);

        takenBefore = awaitSpareReady();
        assertEquals(201, add("b").statusCode());
        String b = t.get("b.test", "/").body();
        assertTrue(metric("nano_context_pool_taken_total") > takenBefore, "app b started from a spare context");
        assertTrue(b.startsWith("refused: ") && b.endsWith(" | undefined"),
                "b may not read a's folder, nor see a's global: " + b);
        assertEquals("main", t.get("main.test", "/").body());
    }

    /** Waits until the worker has a spare context again; returns how many were taken so far. */
    private static long awaitSpareReady() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (metric("nano_context_pool_ready") < 1) {
            assertTrue(System.nanoTime() < deadline, "no spare context was built within 60 s");
            Thread.sleep(20);
        }
        return metric("nano_context_pool_taken_total");
    }

    private static HttpResponse<String> add(String name) throws Exception {
        String path = t.dir.resolve(name).toString().replace("\\", "\\\\");
        return admin("POST", "/apps/" + name, "{ \"hostnames\": [\"" + name + ".test\"], \"path\": \"" + path + "\" }");
    }

    private static long metric(String name) throws Exception {
        String text = admin("GET", "/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+]+)$").matcher(text);
        assertTrue(m.find(), name + " in /metrics");
        return (long) Double.parseDouble(m.group(1));
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return t.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.server.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }
}
