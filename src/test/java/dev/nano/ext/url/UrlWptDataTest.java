package dev.nano.ext.url;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * Runs the URL data files of the Web Platform Tests (wpt/url/resources/*.json) through NANO's URL,
 * with the same checks as the WPT scripts that load them with fetch() (url-constructor.any.js,
 * url-origin.any.js, url-setters.any.js, toascii.window.js, IdnaTestV2.window.js and, for UTF-8
 * only, percent-encoding.window.js), one "subtest" per case and checked URL attribute as there.
 *
 * <p>The WPT folder comes from {@code -Dwpt.dir} (default {@code ../shared/wpt} from the project);
 * without it the tests are skipped.
 */
class UrlWptDataTest {
    /** The share of subtests that must pass, per data file. */
    private static final double BAR = 0.999;

    private static Path resources() {
        String dir = System.getProperty("wpt.dir");
        Path base = dir != null ? Path.of(dir)
                : Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve("../shared/wpt");
        Path res = base.resolve("url/resources");
        assumeTrue(Files.isDirectory(res), "WPT url data not found at " + res + " (set -Dwpt.dir): skipped");
        return res;
    }

    private static String read(Path res, String name) throws IOException {
        Path file = res.resolve(name);
        assumeTrue(Files.exists(file), file + " missing: skipped");
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static final String ASSERTS = """
            let pass = 0, fail = 0;
            const failures = [];
            function check(name, fn) {
              try { fn(); pass++; } catch (e) { fail++; if (failures.length < 40) failures.push(name + ': ' + e.message); }
            }
            function eq(actual, expected, what) {
              if (actual !== expected) throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
            }
            function throwsType(fn) {
              try { fn(); } catch (e) { if (e instanceof TypeError) return; throw new Error('threw ' + e); }
              throw new Error('did not throw');
            }
            function report() {
              console.log(`RESULT ${pass} ${fail}`);
              for (const f of failures) console.log('FAIL ' + f);
            }
            """;

    /** Runs {@code body} (which ends by calling report()) and checks the bar. */
    private static void runAndCheck(String file, String body) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(ASSERTS + body);
            assertTrue(js.uncaught().isEmpty(), () -> "uncaught: " + js.uncaught());
            Matcher m = Pattern.compile("RESULT (\\d+) (\\d+)").matcher(out);
            assertTrue(m.find(), () -> "no result in output: " + out);
            int pass = Integer.parseInt(m.group(1));
            int fail = Integer.parseInt(m.group(2));
            int total = pass + fail;
            System.out.printf("%s: %d/%d subtests pass (%.2f%%)%n", file, pass, total, 100.0 * pass / total);
            for (String line : out.split("\n")) {
                if (line.startsWith("FAIL ")) {
                    System.out.println("  " + line);
                }
            }
            assertTrue(total > 0, file + ": no subtests ran");
            assertTrue(pass >= BAR * total, () -> file + ": only " + pass + " of " + total + " subtests pass:\n" + out);
        }
    }

    @Test
    void urlTestData() throws IOException {
        Path res = resources();
        String data = read(res, "urltestdata.json");
        String jsOnly = Files.exists(res.resolve("urltestdata-javascript-only.json"))
                ? read(res, "urltestdata-javascript-only.json") : "[]";
        runAndCheck("urltestdata.json (url-constructor + url-origin)", "const tests = [...(" + data + "), ...(" + jsOnly + ")];\n" + """
                for (const t of tests) {
                  if (typeof t === 'string') continue;
                  const base = t.base !== null ? t.base : undefined;
                  const name = `<${t.input}> against <${base}>`;
                  check('Parsing: ' + name, () => {
                    if (t.failure) { throwsType(() => new URL(t.input, base)); return; }
                    const url = new URL(t.input, base);
                    for (const key of ['href', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash']) {
                      eq(url[key], t[key], key);
                    }
                    if ('searchParams' in t) eq(url.searchParams.toString(), t.searchParams, 'searchParams');
                  });
                  if ('origin' in t) check('Origin parsing: ' + name, () => eq(new URL(t.input, base).origin, t.origin, 'origin'));
                }
                report();
                """);
    }

    @Test
    void settersTests() throws IOException {
        String data = read(resources(), "setters_tests.json");
        runAndCheck("setters_tests.json (url-setters)", "const all = " + data + ";\n" + """
                for (const attr in all) {
                  if (attr === 'comment') continue;
                  for (const t of all[attr]) {
                    check(`Setting <${t.href}>.${attr} = '${t.new_value}'`, () => {
                      const url = new URL(t.href);
                      url[attr] = t.new_value;
                      for (const key in t.expected) eq(url[key], t.expected[key], key);
                    });
                  }
                }
                report();
                """);
    }

    @Test
    void toAscii() throws IOException {
        String data = read(resources(), "toascii.json");
        runAndCheck("toascii.json (toascii, URL only)", "const tests = " + data + ";\n" + """
                for (const t of tests) {
                  if (typeof t === 'string') continue;
                  check(t.input + ' (using URL)', () => {
                    if (t.output !== null) {
                      const url = new URL('https://' + t.input + '/x');
                      eq(url.host, t.output, 'host'); eq(url.hostname, t.output, 'hostname');
                      eq(url.pathname, '/x', 'pathname'); eq(url.href, 'https://' + t.output + '/x', 'href');
                    } else {
                      throwsType(() => new URL('https://' + t.input + '/x'));
                    }
                  });
                  for (const attr of ['host', 'hostname']) {
                    check(`${t.input} (using URL.${attr})`, () => {
                      const url = new URL('https://x/x');
                      url[attr] = t.input;
                      eq(url[attr], t.output !== null ? t.output : 'x', attr);
                    });
                  }
                }
                report();
                """);
    }

    @Test
    void idnaTestV2() throws IOException {
        String data = read(resources(), "IdnaTestV2.json");
        runAndCheck("IdnaTestV2.json (IdnaTestV2)", "const tests = " + data + ";\n" + """
                function encodeHostEndingCodePoints(input) {
                  let output = '';
                  for (const cp of input) output += [':', '/', '?', '#', '\\\\'].includes(cp) ? encodeURIComponent(cp) : cp;
                  return output;
                }
                for (const t of tests) {
                  if (typeof t === 'string' || t.input === '') continue;
                  const input = encodeHostEndingCodePoints(t.input);
                  check(`ToASCII("${t.input}")`, () => {
                    if (t.output === null) { throwsType(() => new URL(`https://${input}/x`)); return; }
                    const url = new URL(`https://${input}/x`);
                    eq(url.host, t.output, 'host'); eq(url.hostname, t.output, 'hostname');
                    eq(url.pathname, '/x', 'pathname'); eq(url.href, `https://${t.output}/x`, 'href');
                  });
                }
                report();
                """);
    }

    @Test
    void percentEncoding() throws IOException {
        String data = read(resources(), "percent-encoding.json");
        // percent-encoding.window.js checks a document's <a> in each encoding; a URL is always UTF-8.
        runAndCheck("percent-encoding.json (UTF-8 only)", "const tests = " + data + ";\n" + """
                for (const t of tests) {
                  if (typeof t === 'string') continue;
                  check(`Input ${t.input} with encoding utf-8`, () => {
                    const url = new URL(`https://example.com/?${t.input}#${t.input}`);
                    eq(url.hash, '#' + t.output['utf-8'], 'fragment');
                    eq(url.search, '?' + t.output['utf-8'], 'query');
                  });
                }
                report();
                """);
    }
}
