package dev.nano.wpt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nano.wpt.WptRun.Result;
import dev.nano.wpt.WptRun.Subtest;

/**
 * The subtests of one area that are known not to pass, each with the reason, as JSON:
 * <pre>{ "url/url-constructor.any.js?include=file": { "Parsing: &lt;...&gt;": "reason" },
 *   "url/historical.any.js": { "*": "reason" } }</pre>
 * {@code "*"} means that no subtest of that file passes (or that it cannot run at all). A run
 * matches its expectations when exactly the listed subtests fail: an unexpected pass is a mismatch
 * too, so the file stays true; {@code -Dwpt.update=true} rewrites it from the current results.
 */
final class Expectations {
    static final String WHOLE_FILE = "*";
    static final String TODO = "TODO: triage";

    private final Path file;
    private final Map<String, Map<String, String>> entries;

    private Expectations(Path file, Map<String, Map<String, String>> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** expectations/url.json, expectations/dom-events.json, ... under {@code dir}. */
    static Path fileFor(Path dir, String area) {
        return dir.resolve(area.replace('/', '-') + ".json");
    }

    static Expectations load(Path file) {
        Map<String, Map<String, String>> entries = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            try {
                entries.putAll(Json.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Expectations(file, entries);
    }

    /** The differences between a run and its expectations; empty when they match. */
    List<String> check(Result result) {
        Map<String, String> expected = entries.getOrDefault(result.file().key(), Map.of());
        Map<String, Subtest> byName = aggregate(result.subtests());
        List<String> problems = new ArrayList<>();
        if (expected.containsKey(WHOLE_FILE)) {
            List<String> passing = byName.values().stream().filter(Subtest::passed).map(Subtest::name).toList();
            if (!passing.isEmpty()) {
                problems.add("UNEXPECTED PASS: the file is expected to fail as a whole (\"*\": "
                        + expected.get(WHOLE_FILE) + ") but " + passing.size() + " subtest(s) pass now, e.g. "
                        + quote(passing.get(0)));
            }
            return problems;
        }
        for (Subtest t : byName.values()) {
            if (!t.passed() && !expected.containsKey(t.name())) {
                problems.add("UNEXPECTED " + t.status() + ": " + quote(t.name()) + describe(t.message()));
            } else if (t.passed() && expected.containsKey(t.name())) {
                problems.add("UNEXPECTED PASS: " + quote(t.name()) + " (listed as failing: " + expected.get(t.name()) + ")");
            }
        }
        for (String name : expected.keySet()) {
            if (!byName.containsKey(name)) {
                problems.add("EXPECTED FAILURE NOT SEEN: " + quote(name) + " did not run or no longer exists");
            }
        }
        return problems;
    }

    /**
     * Replaces the entry of this run with its current failures: existing reasons are kept, new
     * entries get a guessed reason ("not implemented yet: X" for "X is not defined") or "TODO: triage".
     */
    void update(Result result) {
        String key = result.file().key();
        Map<String, String> old = entries.getOrDefault(key, Map.of());
        Map<String, Subtest> byName = aggregate(result.subtests());
        List<Subtest> failing = byName.values().stream().filter(t -> !t.passed()).toList();
        if (failing.isEmpty()) {
            entries.remove(key);
            return;
        }
        Map<String, String> now = new TreeMap<>();
        if (failing.size() == byName.size()) {
            now.put(WHOLE_FILE, old.containsKey(WHOLE_FILE) ? old.get(WHOLE_FILE) : commonReason(failing));
        } else {
            for (Subtest t : failing) {
                now.put(t.name(), old.containsKey(t.name()) ? old.get(t.name()) : reasonFor(t.message()));
            }
        }
        entries.put(key, now);
    }

    /** Drops the entries of files that no longer exist (or are no longer run). */
    void retainOnly(Set<String> keys) {
        entries.keySet().retainAll(keys);
    }

    void save() {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Json.write(entries), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path file() {
        return file;
    }

    /** A name can be used by several subtests: it passes only when all of them pass. */
    private static Map<String, Subtest> aggregate(List<Subtest> subtests) {
        Map<String, Subtest> byName = new LinkedHashMap<>();
        for (Subtest t : subtests) {
            byName.merge(t.name(), t, (a, b) -> a.passed() ? b : a);
        }
        return byName;
    }

    private static final Pattern NOT_DEFINED = Pattern.compile(
            "(?:ReferenceError: )?([\\w$.]+) is not defined|self does not have own property \"([\\w$]+)\"");
    private static final Set<String> DOM_ONLY = Set.of("document", "window", "XMLHttpRequest");

    static String reasonFor(String message) {
        Matcher m = NOT_DEFINED.matcher(message == null ? "" : message);
        if (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            return DOM_ONLY.contains(name) ? "not applicable: needs " + name + " (no DOM in NANO)" : "not implemented yet: " + name;
        }
        String first = message == null ? "" : message.lines().findFirst().orElse("").strip();
        return first.isEmpty() ? TODO : TODO + " (" + (first.length() > 100 ? first.substring(0, 100) + "..." : first) + ")";
    }

    /** The most frequent guessed reason among a file's failures (e.g. the one missing global). */
    private static String commonReason(List<Subtest> failing) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Subtest t : failing) {
            counts.merge(reasonFor(t.message()), t.name().equals(WptRun.HARNESS) ? 1000 : 1, Integer::sum);
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    private static String quote(String name) {
        return '"' + (name.length() > 200 ? name.substring(0, 200) + "..." : name) + '"';
    }

    private static String describe(String message) {
        if (message == null || message.isEmpty()) {
            return "";
        }
        String first = message.lines().findFirst().orElse("");
        return " -- " + (first.length() > 300 ? first.substring(0, 300) + "..." : first);
    }

    /** Just enough JSON for this file: objects of objects of strings, written sorted and one per line. */
    static final class Json {
        private final String text;
        private final String source;
        private int pos;

        private Json(String text, String source) {
            this.text = text;
            this.source = source;
        }

        static Map<String, Map<String, String>> parse(String text, String source) {
            Json p = new Json(text, source);
            Map<String, Map<String, String>> result = new TreeMap<>();
            p.object(() -> {
                String key = p.string();
                p.expect(':');
                Map<String, String> inner = new TreeMap<>();
                p.object(() -> {
                    String name = p.string();
                    p.expect(':');
                    inner.put(name, p.string());
                });
                result.put(key, inner);
            });
            p.skipSpace();
            if (p.pos != text.length()) {
                throw p.error("trailing text");
            }
            return result;
        }

        private void object(Runnable member) {
            expect('{');
            skipSpace();
            if (peek() == '}') {
                pos++;
                return;
            }
            do {
                member.run();
                skipSpace();
            } while (peek() == ',' && ++pos > 0);
            expect('}');
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("bad \\u escape");
                        }
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> sb.append(e); // \" \\ \/
                }
            }
        }

        private void expect(char c) {
            skipSpace();
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private char next() {
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(pos++);
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(source + ": bad expectations JSON at offset " + pos + ": " + what);
        }

        static String write(Map<String, Map<String, String>> entries) {
            StringBuilder sb = new StringBuilder("{");
            String sep = "\n";
            for (Map.Entry<String, Map<String, String>> e : entries.entrySet()) {
                sb.append(sep).append("  ").append(quote(e.getKey())).append(": {");
                String inner = "\n";
                for (Map.Entry<String, String> t : e.getValue().entrySet()) {
                    sb.append(inner).append("    ").append(quote(t.getKey())).append(": ").append(quote(t.getValue()));
                    inner = ",\n";
                }
                sb.append("\n  }");
                sep = ",\n";
            }
            return sb.append("\n}\n").toString();
        }

        /** Escapes quotes, backslashes, control characters and lone surrogates (not valid UTF-8). */
        private static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean lone = Character.isHighSurrogate(c)
                        ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                        : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f || lone || c == '\u2028' || c == '\u2029') {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            return sb.append('"').toString();
        }
    }
}
