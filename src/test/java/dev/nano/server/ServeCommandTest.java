package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nano.testing.NanoProcess;

/** {@code nano serve} as a process: start-up output, config errors, graceful shutdown on SIGTERM. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void servesAFolderPrintsItsUrlAndShutsDownGracefullyOnSigterm() throws Exception {
        Files.createDirectories(dir.resolve("site"));
        Files.writeString(dir.resolve("site/index.js"), """
                export default {
                  async fetch(request, env, ctx) {
                    const path = new URL(request.url).pathname;
                    if (path === '/slow') { await new Promise((r) => setTimeout(r, 1500)); return new Response('slow done'); }
                    if (path === '/background') {
                      ctx.waitUntil(new Promise((r) => setTimeout(() => { console.log('background done'); r(); }, 1500)));
                      return new Response('accepted');
                    }
                    return new Response('hi');
                  },
                };
                """);
        HttpClient client = HttpClient.newHttpClient();
        try (ServeProcess nano = new ServeProcess(dir.resolve("site").toString(), "--port", "0", "--no-watch")) {
            assertTrue(nano.awaitStderr("site  http://127.0.0.1:" + nano.port + "/"), nano.stderr.toString());
            URI base = URI.create("http://127.0.0.1:" + nano.port);
            assertEquals("hi", client.send(HttpRequest.newBuilder(base.resolve("/")).build(), HttpResponse.BodyHandlers.ofString()).body());
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(base.resolve("/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("accepted", client.send(HttpRequest.newBuilder(base.resolve("/background")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            Thread.sleep(300); // /slow is in flight
            long start = System.nanoTime();
            int exit = nano.terminate();
            assertEquals(0, exit, nano.stderr.toString());
            assertEquals("slow done", slow.get().body(), "the request in flight finished");
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 800, "the shutdown waited for the work in flight");
            assertTrue(nano.stdout().contains("background done"), "waitUntil work finished before exit:\n" + nano.stdout());
            assertTrue(nano.stdout().contains("\"type\":\"request\""), nano.stdout());
            assertTrue(nano.stderr.toString().contains("shutting down"), nano.stderr.toString());
            HttpClient fresh = HttpClient.newHttpClient();
            assertThrows(ConnectException.class, () -> fresh.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void anInvalidConfigIsReportedAndTheServerDoesNotStart() throws Exception {
        Files.writeString(dir.resolve("nano.json"), """
                { "apps": [ { "name": "a", "hostnames": [1], "path": "nowhere.js" } ] }
                """);
        NanoProcess.Result r = NanoProcess.run(null, "serve", "--config", dir.resolve("nano.json").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("apps[0].hostnames[0]: must be a string"), r.stderr());
        assertTrue(r.stderr().contains("apps[0].path: "), r.stderr());
    }

    @Test
    void aPortInUseIsReportedClearly() throws Exception {
        Files.writeString(dir.resolve("app.js"), "export default { fetch: () => new Response('x') };");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            NanoProcess.Result r = NanoProcess.run(null, "serve", dir.resolve("app.js").toString(),
                    "--port", String.valueOf(taken.getLocalPort()), "--no-watch");
            assertEquals(1, r.exitCode(), r.stderr());
            assertTrue(r.stderr().contains("error: cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.stderr());
        }
    }

    @Test
    void aMissingAppIsAnError() throws Exception {
        NanoProcess.Result r = NanoProcess.run(null, "serve", dir.resolve("nope.js").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("no such file or folder"), r.stderr());
    }
}
