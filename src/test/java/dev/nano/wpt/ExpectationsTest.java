package dev.nano.wpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nano.wpt.WptRun.Result;
import dev.nano.wpt.WptRun.Subtest;

/** Expectations: matching, unexpected passes, whole-file entries, updating, the JSON file; META parsing. */
class ExpectationsTest {
    @TempDir
    Path dir;

    private static final WptFile FILE = new WptFile("url/a.any.js", "", List.of(), Set.of("window", "dedicatedworker"), false, null);

    private static Result result(Subtest... subtests) {
        return new Result(FILE, List.of(subtests), 1, 1, List.of());
    }

    private static Subtest pass(String name) {
        return new Subtest(name, "PASS", "");
    }

    private static Subtest fail(String name, String message) {
        return new Subtest(name, "FAIL", message);
    }

    private Expectations withJson(String json) throws IOException {
        Path file = dir.resolve("url.json");
        Files.writeString(file, json);
        return Expectations.load(file);
    }

    @Test
    void failuresMustBeListedAndListedFailuresMustStillFail() throws IOException {
        Expectations e = withJson("{ \"url/a.any.js\": { \"b\": \"known bug\", \"gone\": \"old\" } }");
        List<String> problems = e.check(result(pass("a"), pass("b"), fail("c", "boom")));
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("UNEXPECTED PASS: \"b\""), problems.toString());
        assertTrue(problems.get(1).startsWith("UNEXPECTED FAIL: \"c\" -- boom"), problems.toString());
        assertTrue(problems.get(2).startsWith("EXPECTED FAILURE NOT SEEN: \"gone\""), problems.toString());
        assertEquals(List.of(), e.check(result(pass("a"), fail("b", "x"), fail("gone", "y"))));
    }

    @Test
    void aWholeFileEntryAllowsAnyFailureButNoPass() throws IOException {
        Expectations e = withJson("{\"url/a.any.js\": {\"*\": \"not implemented yet: URL\"}}");
        assertEquals(List.of(), e.check(result(fail("a", ""), new Subtest(WptRun.HARNESS, "ERROR", "x"))));
        assertEquals(1, e.check(result(fail("a", ""), pass("b"))).size());
    }

    @Test
    void updateKeepsReasonsGuessesNewOnesAndWritesJsonThatReadsBack() throws IOException {
        Expectations e = withJson("{\"url/a.any.js\": {\"b\": \"kept reason\"}, \"url/gone.any.js\": {\"*\": \"x\"}}");
        e.update(result(pass("a"), fail("b", "whatever"), fail("c \"quoted\" \ud800 lone", "ReferenceError: URL is not defined"),
                fail("d", "assert_equals: expected 1 but got 2\nmore")));
        e.retainOnly(Set.of("url/a.any.js"));
        e.save();
        String json = Files.readString(dir.resolve("url.json"));
        assertTrue(json.contains("\\ud800"), json);
        Map<String, Map<String, String>> back = Expectations.Json.parse(json, "test");
        assertEquals(Map.of("url/a.any.js", Map.of(
                "b", "kept reason",
                "c \"quoted\" \ud800 lone", "not implemented yet: URL",
                "d", "TODO: triage (assert_equals: expected 1 but got 2)")), back);

        e.update(result(fail("a", "ReferenceError: URL is not defined"), fail("b", "")));
        assertEquals(List.of(), e.check(result(fail("a", ""), fail("b", ""))));
        e.update(result(pass("a"), pass("b")));
        e.save();
        assertEquals("{\n}\n", Files.readString(dir.resolve("url.json")));
    }

    @Test
    void metaLinesVariantsAndApplicability() throws IOException {
        Path file = dir.resolve("url/x.any.js");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                // META: title=X
                // META: global=window,dedicatedworker
                // META: script=/common/a.js
                // META: script=b.js
                // META: timeout=long
                // META: variant=?1-10
                // META: variant=?11-last

                // META: script=after-the-header-is-ignored.js
                test(() => {});
                """);
        List<WptFile> runs = WptFile.parse(dir, file);
        assertEquals(2, runs.size());
        WptFile first = runs.get(0);
        assertEquals("url/x.any.js?1-10", first.key());
        assertEquals(List.of("/common/a.js", "b.js"), first.scripts());
        assertTrue(first.longTimeout());
        assertEquals("X", first.title());
        assertTrue(first.applicable());
        assertEquals("url", first.area());
        assertEquals("dom/events", WptFile.areaOf("dom/events/x.any.js"));
        assertEquals("html/webappapis", WptFile.areaOf("html/webappapis/timers/x.any.js"));
        assertTrue(!new WptFile("a/b.any.js", "", List.of(), Set.of("shadowrealm"), false, null).applicable());
        assertTrue(!new WptFile("a/b.window.js", "", List.of(), Set.of("window"), false, null).applicable());
    }
}
