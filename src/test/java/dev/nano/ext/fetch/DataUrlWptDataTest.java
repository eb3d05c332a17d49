package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * Runs WPT's data: URL data files (wpt/fetch/data-urls/resources/*.json) through fetch(), with the
 * checks of WPT's processing.any.js and base64.any.js (which load them): a null MIME type must
 * reject with a TypeError, anything else must answer with that Content-Type and those bytes.
 * Skipped without the WPT folder ({@code -Dwpt.dir}, default {@code ../shared/wpt}).
 */
class DataUrlWptDataTest {
    private static String read(String name) throws IOException {
        String dir = System.getProperty("wpt.dir");
        Path base = dir != null ? Path.of(dir)
                : Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve("../shared/wpt");
        Path file = base.resolve("fetch/data-urls/resources").resolve(name);
        assumeTrue(Files.exists(file), file + " missing: skipped");
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String run(String cases, String makeUrl) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    const cases = %s;
                    const failures = [];
                    for (const [input, mime, bytes] of cases.map((c) => (c.length === 2 && Array.isArray(c[1]) || c[1] === null) && %s
                        ? [c[0], c[1] === null ? null : 'text/plain;charset=US-ASCII', c[1]] : c)) {
                      const url = %s;
                      try {
                        const r = await fetch(url);
                        const body = [...new Uint8Array(await r.arrayBuffer())];
                        if (mime === null) failures.push(`${url}: expected a TypeError`);
                        else if (r.headers.get('content-type') !== mime) failures.push(`${url}: type ${r.headers.get('content-type')} !== ${mime}`);
                        else if (body.join() !== bytes.join()) failures.push(`${url}: bytes ${body} !== ${bytes}`);
                      } catch (e) {
                        if (mime !== null || !(e instanceof TypeError)) failures.push(`${url}: ${e}`);
                      }
                    }
                    console.log(`${cases.length} cases, failures: ${failures.length}`);
                    for (const f of failures) console.log(f);
                    """.formatted(cases, makeUrl.equals("input") ? "false" : "true", makeUrl));
            assertEquals("[]", js.uncaught().toString());
            return out;
        }
    }

    @Test
    void dataUrlsParseAsTheFetchStandardSays() throws IOException {
        String out = run(read("data-urls.json"), "input");
        assertEquals(out.split("\n")[0].replaceAll("failures: \\d+", "failures: 0"), out);
        assertTrue(out.matches("\\d{2,} cases, .*"), out);
    }

    @Test
    void base64BodiesDecodeForgivingly() throws IOException {
        String out = run(read("base64.json"), "'data:;base64,' + input");
        assertEquals(out.split("\n")[0].replaceAll("failures: \\d+", "failures: 0"), out);
        assertTrue(out.matches("\\d{2,} cases, .*"), out);
    }
}
