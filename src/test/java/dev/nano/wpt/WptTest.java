package dev.nano.wpt;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.nano.testing.JsHarness;
import dev.nano.wpt.WptRun.Result;

/**
 * Runs the Web Platform Tests ({@code *.any.js}, plus the few {@code *.window.js} on
 * {@link WptFile#WINDOW_ALLOWLIST}) in NANO contexts and compares each file's results with
 * {@code src/test/resources/wpt/expectations/<area>.json}: one dynamic test per file and variant,
 * grouped by area, and a table of pass rates at the end.
 *
 * <p>System properties (or environment variables):
 * <ul>
 *   <li>{@code wpt.dir} ({@code WPT_DIR}): the WPT checkout; default {@code ../shared/wpt} from the
 *       project root. Missing: every WPT test is skipped, with a message saying so.</li>
 *   <li>{@code wpt.filter}: comma-separated folders or files to run, e.g. {@code url},
 *       {@code dom/events}, {@code url/url-constructor.any.js}.</li>
 *   <li>{@code wpt.update=true}: rewrite the expectations of the areas run from the current results
 *       (keeps existing reasons) instead of failing on differences.</li>
 *   <li>{@code wpt.timeout} / {@code wpt.timeoutLong}: seconds per file (default 60 / 120 for
 *       {@code // META: timeout=long}); {@code wpt.threads}: files run at once (default: cores).</li>
 * </ul>
 */
class WptTest {
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path EXPECTATIONS = BASEDIR.resolve("src/test/resources/wpt/expectations");
    private static final boolean UPDATE = Boolean.parseBoolean(setting("wpt.update", "WPT_UPDATE", "false"));
    private static final long TIMEOUT_MS = 1000 * Long.parseLong(setting("wpt.timeout", "WPT_TIMEOUT", "60"));
    private static final long LONG_TIMEOUT_MS = 1000 * Long.parseLong(setting("wpt.timeoutLong", "WPT_TIMEOUT_LONG", "120"));
    private static final int THREADS = Integer.parseInt(setting("wpt.threads", "WPT_THREADS",
            String.valueOf(Runtime.getRuntime().availableProcessors())));

    private static final ResultTable TABLE = new ResultTable();
    private static final Map<String, Expectations> BY_AREA = new TreeMap<>();
    private static ExecutorService pool;
    private static Path root;
    private static long startNanos;

    @TestFactory
    Stream<DynamicNode> wpt() {
        Path dir = wptDir();
        if (!Files.isRegularFile(dir.resolve("resources/testharness.js"))) {
            System.out.println("WPT: SKIPPED, no Web Platform Tests at " + dir);
            abort("WPT skipped: no WPT folder at " + dir
                    + " (set -Dwpt.dir=... or WPT_DIR to a folder with resources/testharness.js)");
        }
        root = dir;
        List<WptFile> all = WptFile.scan(root, "").stream()
                .filter(f -> !f.path().startsWith("resources/") && !f.path().startsWith("common/"))
                .toList();
        List<String> filters = Arrays.stream(setting("wpt.filter", "WPT_FILTER", "").split(","))
                .map(s -> s.strip().replaceAll("^/+", "")).filter(s -> !s.isEmpty()).toList();
        List<WptFile> selected = all.stream().filter(f -> filters.isEmpty() || filters.stream().anyMatch(p -> matches(f, p))).toList();
        assumeTrue(!selected.isEmpty(), "WPT: nothing matches wpt.filter=" + filters);

        try (JsHarness probe = new JsHarness()) {
            probe.eval("0");
        } catch (RuntimeException e) { // a broken bootstrap would fail every file the same way
            fail("WPT not run: a NANO context cannot even start: " + e, e);
        }
        System.out.printf("WPT: %d runs from %s; %s, with --wasm-shared-memory; %d threads, timeouts %d s / %d s%s%n",
                selected.size(), root, WptRun.ENGINE.isOptimizing() ? "JIT on" : "JIT off (interpreted)", THREADS, TIMEOUT_MS / 1000, LONG_TIMEOUT_MS / 1000,
                UPDATE ? "; UPDATING expectations" : "");
        pool = Executors.newFixedThreadPool(THREADS, r -> Thread.ofPlatform().daemon().name("wpt-pool").unstarted(r));
        startNanos = System.nanoTime();
        Map<String, List<DynamicNode>> byArea = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (WptFile file : selected) {
            BY_AREA.computeIfAbsent(file.area(), a -> Expectations.load(Expectations.fileFor(EXPECTATIONS, a)));
            byArea.computeIfAbsent(file.area(), a -> new ArrayList<>()).add(testFor(file));
        }
        if (UPDATE) { // drop entries of files that no longer exist
            Map<String, Set<String>> keys = all.stream().filter(WptFile::applicable)
                    .collect(Collectors.groupingBy(WptFile::area, Collectors.mapping(WptFile::key, Collectors.toSet())));
            BY_AREA.forEach((area, exp) -> exp.retainOnly(keys.getOrDefault(area, Set.of())));
        }
        return byArea.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue().stream()));
    }

    /** Starts the file's run on the pool now; the dynamic test waits for it and compares. */
    private static DynamicTest testFor(WptFile file) {
        if (!file.applicable()) {
            TABLE.skipped(file);
            return DynamicTest.dynamicTest(file.key(), () -> abort("not run in NANO: " + file.skipReason()));
        }
        long timeout = file.longTimeout() ? LONG_TIMEOUT_MS : TIMEOUT_MS;
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> WptRun.run(root, file, timeout), pool);
        return DynamicTest.dynamicTest(file.key(), () -> check(run.join()));
    }

    private static void check(Result result) {
        if (!result.absentFolders().isEmpty()) {
            TABLE.skipped(result.file());
            abort("not run in NANO: needs resources from " + String.join(", ", result.absentFolders())
                    + ", which this WPT checkout does not have");
        }
        Expectations expectations = BY_AREA.get(result.file().area());
        List<String> problems;
        synchronized (expectations) {
            problems = expectations.check(result);
            if (UPDATE) {
                expectations.update(result);
            }
        }
        TABLE.add(result, !problems.isEmpty());
        if (!problems.isEmpty() && !UPDATE) {
            int shown = Math.min(problems.size(), 25);
            fail(result.file().key() + ": " + problems.size() + " difference(s) from "
                    + EXPECTATIONS.relativize(expectations.file()) + " (update with -Dwpt.update=true):\n  "
                    + String.join("\n  ", problems.subList(0, shown))
                    + (shown < problems.size() ? "\n  ... " + (problems.size() - shown) + " more" : ""));
        }
    }

    @AfterAll
    static void finish() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (UPDATE) {
            for (Expectations e : BY_AREA.values()) {
                e.save();
                System.out.println("WPT: wrote " + e.file());
            }
        }
        if (!TABLE.isEmpty()) {
            System.out.printf("%nWeb Platform Tests (%s), %.1f s wall time:%n%s%n", root,
                    (System.nanoTime() - startNanos) / 1e9, TABLE.render());
        }
    }

    /** A filter names a folder or a file (optionally with its variant), matched by whole path segments. */
    private static boolean matches(WptFile file, String filter) {
        String f = filter.endsWith("/") ? filter.substring(0, filter.length() - 1) : filter;
        return file.key().equals(f) || file.path().equals(f) || file.path().startsWith(f + "/");
    }

    static Path wptDir() {
        String configured = setting("wpt.dir", "WPT_DIR", null);
        Path dir = configured != null ? BASEDIR.resolve(configured) : BASEDIR.resolveSibling("shared").resolve("wpt");
        return dir.toAbsolutePath().normalize();
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isEmpty()) {
            value = System.getenv(env);
        }
        return value == null || value.isEmpty() ? fallback : value;
    }
}
