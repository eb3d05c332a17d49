package dev.nano.wpt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One run of a WPT test file: its path under the WPT root, one of its {@code // META: variant}s
 * (or none), and what its {@code // META:} lines ask for.
 *
 * @param path the file, relative to the WPT root, with '/' separators (e.g. {@code url/url-constructor.any.js})
 * @param variant the query this run gets as {@code location.search} ("" or e.g. {@code ?include=file})
 * @param scripts {@code // META: script=} dependencies, in order, as written
 * @param globals the scopes the file is meant for ({@code // META: global=}; default window + dedicatedworker)
 * @param longTimeout {@code // META: timeout=long}
 * @param title {@code // META: title=}, or null
 */
record WptFile(String path, String variant, List<String> scripts, Set<String> globals, boolean longTimeout,
        String title) {

    /**
     * {@code .window.js} runs that make sense without a DOM: they only use what a worker has too (the
     * DOM-only subtests of these fail and are listed in the expectations as such).
     */
    static final Set<String> WINDOW_ALLOWLIST = Set.of(
            "url/IdnaTestV2.window.js",
            "url/toascii.window.js",
            "encoding/single-byte-decoder.window.js?TextDecoder");

    /** Top-level folders whose areas are one level deeper (dom/events, html/webappapis, fetch/data-urls). */
    private static final Set<String> NESTED_AREAS = Set.of("dom", "html", "fetch");

    // The WPT manifest reads META lines only at the very top: the first other line ends them.
    private static final Pattern META = Pattern.compile("^//\\s*META:\\s*(\\w+)=(.*)$");

    /** The key of this run in results and expectations: the path plus the variant. */
    String key() {
        return path + variant;
    }

    /** url, encoding, dom/events, html/webappapis, ... */
    String area() {
        return areaOf(path);
    }

    static String areaOf(String path) {
        String[] parts = path.split("/");
        return NESTED_AREAS.contains(parts[0]) && parts.length > 2 ? parts[0] + "/" + parts[1] : parts[0];
    }

    /**
     * Whether NANO runs this file. NANO's global is worker-like, and the runner makes it look like a
     * dedicated worker, so a file runs when it is meant for workers: {@code worker},
     * {@code dedicatedworker} (part of the default), or {@code jsshell} (a bare JS global). Files only
     * for {@code window}, {@code sharedworker}, {@code serviceworker} or ShadowRealms are skipped.
     */
    boolean applicable() {
        if (path.endsWith(".window.js")) {
            return WINDOW_ALLOWLIST.contains(path) || WINDOW_ALLOWLIST.contains(key());
        }
        return globals.contains("worker") || globals.contains("dedicatedworker") || globals.contains("jsshell");
    }

    /** Why {@link #applicable()} said no, for the log. */
    String skipReason() {
        return path.endsWith(".window.js") ? "window-only test not on the allowlist" : "globals " + globals;
    }

    /** The runs of every {@code *.any.js} and {@code *.window.js} file under {@code root/<folder>}. */
    static List<WptFile> scan(Path root, String folder) {
        Path dir = root.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<WptFile> runs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && (name.endsWith(".any.js") || name.endsWith(".window.js"))) {
                    runs.addAll(parse(root, file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return runs;
    }

    /** One run per {@code // META: variant} (or one run when the file has none). */
    static List<WptFile> parse(Path root, Path file) {
        String path = root.relativize(file).toString().replace('\\', '/');
        List<String> scripts = new ArrayList<>();
        List<String> variants = new ArrayList<>();
        Set<String> globals = Set.of("window", "dedicatedworker");
        boolean longTimeout = false;
        String title = null;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher m = META.matcher(line.strip());
                if (!m.matches()) {
                    break;
                }
                String value = m.group(2).strip();
                switch (m.group(1)) {
                    case "script" -> scripts.add(value);
                    case "variant" -> variants.add(value);
                    case "global" -> globals = Set.of(value.replace(" ", "").split(","));
                    case "timeout" -> longTimeout = value.equals("long");
                    case "title" -> title = value;
                    default -> { } // e.g. "quic": nothing NANO needs
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (variants.isEmpty()) {
            variants.add("");
        }
        List<WptFile> runs = new ArrayList<>();
        for (String variant : variants) {
            runs.add(new WptFile(path, variant, List.copyOf(scripts), globals, longTimeout, title));
        }
        return runs;
    }
}
