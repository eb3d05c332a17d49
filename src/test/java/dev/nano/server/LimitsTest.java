package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.nano.apps.App;
import dev.nano.apps.AppStats;

/**
 * Resource limits, from the outside: a request that spins or allocates past its app's limits is
 * stopped and answered 503 naming the limit, while other apps keep serving; quotas on concurrency and
 * console output; idle contexts are closed and come back on the next request.
 */
class LimitsTest {
    static final String NANO_JSON = """
            { "port": 0, "workers": 2,
              "apps": [
                { "name": "spin", "hostnames": ["spin.test"], "path": "spin.js", "limits": { "cpuMs": 50 } },
                { "name": "hog", "hostnames": ["hog.test"], "path": "hog.js",
                  "limits": { "cpuMs": 60000, "memoryMb": 16 } },
                { "name": "hello", "hostnames": ["hello.test"], "path": "hello.js" },
                { "name": "busy", "hostnames": ["busy.test"], "path": "busy.js", "limits": { "maxConcurrent": 1 } },
                { "name": "busy2", "hostnames": ["busy2.test"], "path": "busy.js", "limits": { "maxConcurrent": 1 } },
                { "name": "chatty", "hostnames": ["chatty.test"], "path": "chatty.js", "limits": { "consoleKb": 1 } },
                { "name": "sleepy", "hostnames": ["sleepy.test"], "path": "hello.js", "limits": { "idleMs": 100 } },
                { "name": "stuck", "hostnames": ["stuck.test"], "path": "stuck.js" },
                { "name": "lazy", "hostnames": ["lazy.test"], "path": "hello.js" },
                { "name": "chunky", "hostnames": ["chunky.test"], "path": "chunky.js", "limits": { "cpuMs": 50 } },
                { "name": "ticker", "hostnames": ["ticker.test"], "path": "chunky.js", "limits": { "cpuMs": 50 } }
              ] }
            """;
    static final String SPIN = """
            let requests = 0;
            export default {
              async fetch(request) {
                requests++;
                const path = new URL(request.url).pathname;
                if (path === '/spin') {
                  while (true) {}
                }
                if (path === '/spin-later') {
                  await new Promise((resolve) => setTimeout(resolve, 1));
                  for (;;) {}
                }
                return new Response('requests seen by this context: ' + requests);
              },
            };
            """;
    static final String HOG = """
            export default {
              fetch(request) {
                const path = new URL(request.url).pathname;
                if (path === '/hog') {
                  const a = [];
                  for (;;) a.push(new Array(1e5).fill(1));
                }
                if (path === '/issue') { // the issue's example: GraalJS allocates these holey arrays lazily
                  const a = [];
                  for (;;) a.push(new Array(1e6));
                }
                return new Response('fine');
              },
            };
            """;
    static final String BUSY = """
            export default {
              async fetch(request) {
                if (new URL(request.url).pathname === '/hold') {
                  console.log('holding');
                  await new Promise((resolve) => setTimeout(resolve, 4000));
                  return new Response('held');
                }
                if (new URL(request.url).pathname === '/brief') {
                  console.log('briefly');
                  await new Promise((resolve) => setTimeout(resolve, 300));
                  return new Response('brief');
                }
                return new Response('quick');
              },
            };
            """;
    // Work split into tasks of 20 ms (by the wall clock, so never more CPU time than that) between timers:
    // no task passes the 50 ms limit, but a request's tasks do together.
    static final String CHUNKY = """
            const spin = (ms) => { const start = Date.now(); while (Date.now() - start < ms) {} };
            const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
            export default {
              async fetch(request) {
                const path = new URL(request.url).pathname;
                if (path === '/few') { // 3 x 5 ms: inside the limit, cold code and all
                  for (let i = 0; i < 3; i++) { spin(5); await tick(); }
                  return new Response('three short tasks');
                }
                if (path === '/chunks') {
                  for (;;) { spin(20); await tick(); }
                }
                if (path === '/ticker') { // an interval that outlives its request: 120 x 5 ms
                  let ticks = 0;
                  const id = setInterval(() => {
                    spin(5);
                    if (++ticks === 120) { clearInterval(id); console.log('ticked 120 times'); }
                  }, 1);
                  return new Response('ticking');
                }
                return new Response('fine');
              },
            };
            """;
    static final String CHATTY = """
            export default {
              fetch() {
                for (let i = 0; i < 100; i++) console.log(String(i).padStart(3, '0') + ' ' + 'x'.repeat(96));
                return new Response('said a lot');
              },
            };
            """;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.config("nano.json", NANO_JSON, "spin.js", SPIN, "hog.js", HOG, "busy.js", BUSY,
                "chatty.js", CHATTY, "chunky.js", CHUNKY, "hello.js", "export default { fetch: () => new Response('hello') };",
                "stuck.js", "while (true) {}\nexport default { fetch: () => new Response('never') };");
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static AppStats stats(String app) {
        return t.server.registry().stats().get(app);
    }

    @Test
    void aRequestThatSpinsIsStoppedWith503NamingTheLimitAndTheAppGoesOn() throws Exception {
        HttpResponse<String> r = t.get("spin.test", "/spin");
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("50 ms of CPU time (limits.cpuMs)"), r.body());
        JsonNode logged = t.awaitLog("error", "cpu_limit");
        assertEquals("spin", logged.get("app").asText());
        assertTrue(stats("spin").errors().get(AppStats.CPU_LIMIT) >= 1);

        // the spinning context was discarded: the next request gets a fresh one, off the I/O threads
        HttpResponse<String> next = t.get("spin.test", "/");
        assertEquals(200, next.statusCode());
        assertEquals("requests seen by this context: 1", next.body());
        App spin = t.server.registry().get("spin");
        assertTrue(spin.demoted(), "an app that passed its CPU limit runs on the background workers");
        assertEquals("hello", t.get("hello.test", "/").body());

        // again, now on a background worker; and in a continuation after a timer, not the dispatch
        assertEquals(503, t.get("spin.test", "/spin").statusCode());
        HttpResponse<String> later = t.get("spin.test", "/spin-later");
        assertEquals(503, later.statusCode(), later.body());
        assertTrue(later.body().contains("limits.cpuMs"), later.body());
        assertEquals(200, t.get("spin.test", "/").statusCode());
    }

    @Test
    void theCpuLimitIsPerRequestOverAllItsTasks() throws Exception {
        assertEquals("three short tasks", t.get("chunky.test", "/few").body());

        HttpResponse<String> r = t.get("chunky.test", "/chunks");
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("50 ms of CPU time (limits.cpuMs)"), r.body());
        JsonNode logged = t.awaitLog("error", "\"chunky\"");
        assertEquals("cpu_limit", logged.get("kind").asText());
        assertEquals("fine", t.get("chunky.test", "/").body());
    }

    @Test
    void timersLeftByAFinishedRequestDoNotCountAgainstIt() throws Exception {
        assertEquals("ticking", t.get("ticker.test", "/ticker").body());
        t.awaitLog("console", "ticked 120 times"); // 600 ms of CPU time in all, 5 ms per task
        assertEquals(0L, stats("ticker").errors().getOrDefault(AppStats.CPU_LIMIT, 0L));
        assertEquals("fine", t.get("ticker.test", "/").body());
    }

    @Test
    void aRequestThatAllocatesPastItsBudgetIsStoppedWhileOthersServe() throws Exception {
        CompletableFuture<HttpResponse<String>> hog = t.client.sendAsync(
                java.net.http.HttpRequest.newBuilder(t.uri("/hog")).header("Host", "hog.test").build(),
                HttpResponse.BodyHandlers.ofString());
        for (int i = 0; i < 5; i++) {
            assertEquals("hello", t.get("hello.test", "/").body());
        }
        HttpResponse<String> r = hog.get();
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("allocated more than 16 MB (limits.memoryMb)"), r.body());
        ReloadTest.await("the memory_limit count", () -> stats("hog").errors().getOrDefault(AppStats.MEMORY_LIMIT, 0L) >= 1);
        assertEquals("fine", t.get("hog.test", "/").body());

        HttpResponse<String> issue = t.get("hog.test", "/issue");
        assertEquals(503, issue.statusCode(), issue.body());
        assertTrue(issue.body().contains("(limits.memoryMb)"), issue.body());
        assertEquals("fine", t.get("hog.test", "/").body());
    }

    @Test
    void moduleTopLevelCodeThatSpinsFailsToLoadInsteadOfHoldingAThread() throws Exception {
        HttpResponse<String> r = t.get("stuck.test", "/");
        assertEquals(503, r.statusCode());
        JsonNode logged = t.awaitLog("error", "\"stuck\"");
        assertEquals("load", logged.get("kind").asText());
        assertTrue(logged.get("message").asText().contains("top-level code used more than"), logged.toString());
        assertEquals("hello", t.get("hello.test", "/").body());
    }

    @Test
    void requestsOverMaxConcurrentWaitThenGet503NamingTheLimit() throws Exception {
        CompletableFuture<HttpResponse<String>> hold = t.client.sendAsync(
                java.net.http.HttpRequest.newBuilder(t.uri("/hold")).header("Host", "busy.test").build(),
                HttpResponse.BodyHandlers.ofString());
        t.awaitLog("console", "holding");
        HttpResponse<String> r = t.get("busy.test", "/");
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("(limits.maxConcurrent)"), r.body());
        assertEquals("held", hold.get().body());
        assertEquals("quick", t.get("busy.test", "/").body(), "the slot is free again");
        assertTrue(stats("busy").errors().getOrDefault(AppStats.CONCURRENCY, 0L) >= 1);
    }

    @Test
    void aRequestOverMaxConcurrentWaitsForTheSlotWhenItFreesSoon() throws Exception {
        CompletableFuture<HttpResponse<String>> brief = t.client.sendAsync(
                java.net.http.HttpRequest.newBuilder(t.uri("/brief")).header("Host", "busy2.test").build(),
                HttpResponse.BodyHandlers.ofString());
        t.awaitLog("console", "briefly");
        HttpResponse<String> r = t.get("busy2.test", "/"); // waits (up to 1 s) for the 300 ms request
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("quick", r.body());
        assertEquals("brief", brief.get().body());
    }

    @Test
    void consoleOutputPerRequestIsCutWithAMarker() throws Exception {
        assertEquals("said a lot", t.get("chatty.test", "/").body());
        t.awaitLog("console", "console output cut");
        List<JsonNode> lines = t.log("console").stream().filter(n -> n.get("app").asText().equals("chatty")).toList();
        int chars = lines.stream().mapToInt(n -> n.get("message").asText().length()).sum();
        assertTrue(lines.size() < 20 && chars < 1024 + 200, lines.size() + " lines, " + chars + " chars");
        assertTrue(lines.get(lines.size() - 1).get("message").asText().contains("limits.consoleKb"));

        // the quota is per request: the next one may log again
        int before = lines.size();
        assertEquals("said a lot", t.get("chatty.test", "/").body());
        ReloadTest.await("the second request's console output", () -> t.log("console").stream()
                .filter(n -> n.get("app").asText().equals("chatty")).count() >= 2L * before);
    }

    @Test
    void appsAreCheckedAtStartButTheirContextsAreMadeByTheFirstRequest() throws Exception {
        App lazy = t.server.registry().get("lazy");
        assertEquals(App.Status.READY, lazy.status());
        assertEquals(0, lazy.contextCount(), "no context before the first request");
        assertEquals("hello", t.get("lazy.test", "/").body());
        assertEquals(1, lazy.contextCount());
        // a module that cannot load is known at start, before any request
        assertEquals(App.Status.FAILED, t.server.registry().get("stuck").status());
    }

    @Test
    void idleContextsAreEvictedAndComeBackOnTheNextRequest() throws Exception {
        assertEquals("hello", t.get("sleepy.test", "/").body());
        App sleepy = t.server.registry().get("sleepy");
        ReloadTest.await("the idle context to be evicted", () -> sleepy.contextCount() == 0
                && stats("sleepy").evictions().getOrDefault(AppStats.EVICTED_IDLE, 0L) >= 1);
        assertEquals("hello", t.get("sleepy.test", "/").body());
    }

    @Test
    void underHeapPressureIdleContextsAreEvicted() throws Exception {
        assertEquals("hello", t.get("hello.test", "/").body());
        App hello = t.server.registry().get("hello");
        assertTrue(hello.contextCount() > 0);
        // as the GC listener does when a collection leaves the heap 75% full; twice: all idle contexts go
        t.server.registry().services().workers().watchdog().heapPressure();
        Thread.sleep(50);
        t.server.registry().services().workers().watchdog().heapPressure();
        ReloadTest.await("hello's contexts to be evicted", () -> hello.contextCount() == 0
                && stats("hello").evictions().getOrDefault(AppStats.EVICTED_HEAP, 0L) >= 1);
        assertEquals("hello", t.get("hello.test", "/").body());
    }

    @Test
    void metricsShowLimitHitsAndEvictions() throws Exception {
        assertEquals(503, t.get("spin.test", "/spin").statusCode());
        String metrics = new String(t.server.metrics().scrape(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(metrics.contains("nano_app_errors_total{app=\"spin\",kind=\"cpu_limit\"}"), metrics);
        assertTrue(metrics.contains("nano_app_demoted{app=\"spin\"} 1"), metrics);
    }
}
