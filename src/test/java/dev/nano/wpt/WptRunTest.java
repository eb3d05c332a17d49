package dev.nano.wpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nano.wpt.WptRun.Result;
import dev.nano.wpt.WptRun.Subtest;

/**
 * The runner itself, on small test files written here into a scratch WPT folder (with the real
 * testharness.js): results, META scripts, variants, fetch of resources, errors and timeouts.
 */
class WptRunTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void harness() throws IOException {
        Path real = WptTest.wptDir().resolve("resources/testharness.js");
        assumeTrue(Files.isRegularFile(real), "no WPT folder (testharness.js) at " + real);
        Files.createDirectories(root.resolve("resources"));
        Files.copy(real, root.resolve("resources/testharness.js"));
    }

    private static Result run(String name, String code, long timeoutMillis) throws IOException {
        Path file = root.resolve("t/" + name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, code);
        List<WptFile> runs = WptFile.parse(root, file);
        return WptRun.run(root, runs.get(runs.size() - 1), timeoutMillis);
    }

    private static Map<String, String> statuses(Result result) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Subtest t : result.subtests()) {
            map.put(t.name(), t.status());
        }
        return map;
    }

    @Test
    void reportsEachSubtestSyncAndAsync() throws IOException {
        Result r = run("basic.any.js", """
                test(() => {}, "passes");
                test(() => { assert_equals(1, 2, "one is two"); }, "fails");
                promise_test(() => new Promise((resolve) => setTimeout(resolve, 5)), "async passes");
                """, 20_000);
        assertEquals(Map.of("passes", "PASS", "fails", "FAIL", "async passes", "PASS"), statuses(r));
        assertTrue(r.subtests().stream().anyMatch(t -> t.message().contains("one is two")), r.toString());
    }

    @Test
    void loadsMetaScriptsAndGivesTheVariantFetchAndImportScripts() throws IOException {
        Files.createDirectories(root.resolve("t/resources"));
        Files.writeString(root.resolve("t/resources/helper.js"), "globalThis.helper = 42;");
        Files.writeString(root.resolve("resources/abs.js"), "globalThis.absolute = 'yes';");
        Files.writeString(root.resolve("t/resources/data.json"), "{\"a\": [1, \"\u00e9\"]}");
        Files.writeString(root.resolve("t/more.js"), "globalThis.more = 7;");
        Result r = run("meta.any.js", """
                // META: global=window,worker
                // META: script=resources/helper.js
                // META: script=/resources/abs.js
                // META: variant=?first
                // META: variant=?second
                test(() => {
                  assert_equals(helper, 42);
                  assert_equals(absolute, 'yes');
                  assert_equals(location.search, '?second');
                  assert_true(GLOBAL.isWorker());
                  importScripts('more.js');
                  assert_equals(more, 7);
                }, "scripts");
                promise_test(async () => {
                  const json = await (await fetch('resources/data.json')).json();
                  assert_equals(json.a[1], '\u00e9');
                  const missing = await fetch('/nothing/here.json');
                  assert_equals(missing.status, 404);
                  assert_false(missing.ok);
                }, "fetch");
                """, 20_000);
        assertEquals(Map.of("scripts", "PASS", "fetch", "PASS"), statuses(r), r.toString());
        assertEquals("t/meta.any.js?second", r.file().key());
    }

    @Test
    void anErrorAtTopLevelIsAHarnessError() throws IOException {
        Result r = run("throws.any.js", """
                test(() => {}, "before");
                throw new Error("boom at top level");
                """, 20_000);
        assertEquals("PASS", statuses(r).get("before"));
        Subtest harness = r.subtests().get(r.subtests().size() - 1);
        assertEquals(WptRun.HARNESS, harness.name());
        assertEquals("ERROR", harness.status());
        assertTrue(harness.message().contains("boom at top level"), harness.message());
    }

    @Test
    void aTestThatCanNeverFinishTimesOutWhenNothingIsLeftToRun() throws IOException {
        Result r = run("pending.any.js", """
                async_test(() => {}, "never finishes");
                test(() => {}, "passes");
                """, 20_000);
        assertEquals(Map.of("never finishes", "TIMEOUT", "passes", "PASS", WptRun.HARNESS, "TIMEOUT"), statuses(r));
    }

    @Test
    void aBusyLoopIsStoppedAtTheTimeout() throws IOException {
        Result r = run("spin.any.js", "test(() => { for (;;) {} }, 'spins');", 1_000);
        assertEquals("TIMEOUT", statuses(r).get(WptRun.HARNESS), r.toString());
        assertTrue(r.millis() < 15_000, "took " + r.millis() + " ms");
    }

    @Test
    void aFileKeptAliveByAnIntervalIsTimedOutByTheHarness() throws IOException {
        Result r = run("interval.any.js", """
                setInterval(() => {}, 20);
                async_test(() => {}, "waits forever");
                """, 500);
        assertEquals(Map.of("waits forever", "TIMEOUT", WptRun.HARNESS, "TIMEOUT"), statuses(r));
    }

    @Test
    void aResourceFromAFolderTheCheckoutLacksIsReportedAndA404InAnExistingOneIsNot() throws IOException {
        Result r = run("absent.any.js", """
                promise_test(async () => {
                  assert_equals((await fetch("/resources/no-such-file.txt")).status, 404);
                }, "a 404 the test expects");
                promise_test(async () => {
                  assert_equals((await fetch("/media/video.webm")).status, 200);
                }, "a file from a folder this checkout lacks");
                """, 20_000);
        assertEquals(Map.of("a 404 the test expects", "PASS", "a file from a folder this checkout lacks", "FAIL"),
                statuses(r));
        assertEquals(List.of("/media"), r.absentFolders());
    }
}
