package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

/** Hot reload: nano.json and app files are watched; new versions take over without failing a request. */
class ReloadTest {
    static String version(String v) {
        return """
                export default {
                  async fetch(request) {
                    if (new URL(request.url).pathname === '/slow') {
                      console.log('%1$s-slow started');
                      await new Promise((r) => setTimeout(r, 1500));
                      return new Response('%1$s-slow');
                    }
                    return new Response('%1$s');
                  },
                };
                """.formatted(v);
    }

    static final String CONFIG_A = """
            { "apps": [ { "name": "a", "hostnames": ["a.test"], "path": "a/index.js" } ] }
            """;
    static final String CONFIG_AB = """
            { "apps": [ { "name": "a", "hostnames": ["a.test"], "path": "a/index.js" },
                        { "name": "b", "hostnames": ["b.test"], "path": "b.js", "env": { "WHO": "b" } } ] }
            """;

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static String body(TestServer t, String host, String path) {
        try {
            HttpResponse<String> r = t.get(host, path);
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return "failed: " + e;
        }
    }

    @Test
    void changedFilesAndConfigAreReloadedUnderLoadWithoutFailingARequest() throws Exception {
        try (TestServer t = TestServer.config(TestServer.options().withWatch(true),
                "nano.json", CONFIG_A, "a/index.js", version("v1"),
                "b.js", "export default { fetch: (r, env) => new Response('hello from ' + env.WHO) };")) {
            assertEquals("200 v1", body(t, "a.test", "/"));

            // Load: a few clients in a loop for the whole test; every answer must be 200.
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Set<String> failures = ConcurrentHashMap.newKeySet();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            List<Thread> clients = java.util.stream.IntStream.range(0, 4).mapToObj(i -> Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    String r = body(t, "a.test", "/");
                    sent.incrementAndGet();
                    if (r.startsWith("200 ")) {
                        seen.add(r.substring(4));
                    } else {
                        failures.add(r);
                    }
                }
            })).toList();

            // A slow request started on v1 finishes on v1.
            CompletableFuture<HttpResponse<String>> slow = t.client.sendAsync(
                    HttpRequest.newBuilder(t.uri("/slow")).header("Host", "a.test").build(), HttpResponse.BodyHandlers.ofString());
            t.awaitLog("console", "v1-slow started");
            Files.writeString(t.dir.resolve("a/index.js"), version("v2"));
            await("v2 to be served", () -> seen.contains("v2"));
            assertEquals("v1-slow", slow.get().body(), "the request in flight finished on the old version");

            // A broken edit is refused: v2 keeps serving.
            Files.writeString(t.dir.resolve("a/index.js"), "export default { fetch( ;");
            Thread.sleep(1500);
            assertEquals("200 v2", body(t, "a.test", "/"));
            Files.writeString(t.dir.resolve("a/index.js"), version("v3"));
            await("v3 to be served", () -> seen.contains("v3"));

            // nano.json: a new app appears.
            assertEquals(404, t.get("b.test", "/").statusCode());
            Files.writeString(t.dir.resolve("nano.json"), CONFIG_AB);
            await("app b to be added", () -> body(t, "b.test", "/").equals("200 hello from b"));

            // An invalid nano.json is refused: the previous configuration stays in force.
            Files.writeString(t.dir.resolve("nano.json"), "{ \"apps\": [ { \"name\": 5 } ] }");
            Thread.sleep(1500);
            assertEquals("200 hello from b", body(t, "b.test", "/"));

            // Removing an app from nano.json removes it.
            Files.writeString(t.dir.resolve("nano.json"), CONFIG_A);
            await("app b to be removed", () -> body(t, "b.test", "/").startsWith("404"));

            running.set(false);
            for (Thread c : clients) {
                c.join();
            }
            assertTrue(failures.isEmpty(), failures.size() + " of " + sent.get() + " requests failed: " + failures);
            assertTrue(sent.get() > 20, "load was applied: " + sent.get());
            assertTrue(seen.containsAll(Set.of("v1", "v2", "v3")), seen.toString());
            assertEquals("200 v3", body(t, "a.test", "/"));
        }
    }

    @Test
    void appsAddedThroughTheAdminApiAreWatchedAndAFolderStaysWatchedWhileAnotherAppStillNeedsIt() throws Exception {
        try (TestServer t = TestServer.config(TestServer.options().withWatch(true),
                "nano.json", """
                        { "apps": [ { "name": "a", "hostnames": ["a.test"], "path": "a/index.js" } ], "admin": { "port": 0 } }
                        """,
                "a/index.js", version("v1"),
                "outer/index.js", "export default { fetch: () => new Response('initial') };",
                "outer/inner/index.js", "export default { fetch: () => new Response('initial') };",
                "solo/index.js", "export default { fetch: () => new Response('initial') };")) {
            // inner's folder is watched for both apps: for outer's (a subfolder) and for its own.
            assertEquals(201, addApp(t, "inner", "outer/inner"));
            assertEquals(201, addApp(t, "outer", "outer"));
            assertEquals(204, admin(t, "DELETE", "/apps/outer", null).statusCode());
            // Once a change in solo/ reloads solo, the watches have caught up with outer's removal
            // too (each refresh reads the apps served at the time).
            assertEquals(201, addApp(t, "solo", "solo"));
            rewriteUntilServed(t, "solo/index.js", "solo.test", "solo ");
            rewriteUntilServed(t, "outer/inner/index.js", "inner.test", "v2 ");
        }
    }

    private static int addApp(TestServer t, String name, String folder) throws Exception {
        String path = t.dir.resolve(folder).toString().replace("\\", "\\\\");
        return admin(t, "PUT", "/apps/" + name, "{ \"hostnames\": [\"" + name + ".test\"], \"path\": \"" + path + "\" }")
                .statusCode();
    }

    private static HttpResponse<String> admin(TestServer t, String method, String path, String body) throws Exception {
        return t.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + t.server.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** Writes new versions of {@code file} (the OS watch may not be in place at once) until {@code host} serves one. */
    private static void rewriteUntilServed(TestServer t, String file, String host, String prefix) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int i = 1; ; i++) {
            TestServer.write(t.dir, file, "export default { fetch: () => new Response('" + prefix + i + "') };");
            long until = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < until) {
                if (body(t, host, "/").startsWith("200 " + prefix)) {
                    return;
                }
                Thread.sleep(50);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " changed but " + host + " still answers " + body(t, host, "/"));
            }
        }
    }
}
