package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * fetch() from a script context (no per-request limits) against a local upstream server: methods,
 * bodies both ways, streaming, decoding, redirects, abort, timeouts and errors.
 */
class FetchTest {
    private static Upstream up;

    @BeforeAll
    static void start() throws Exception {
        up = new Upstream();
    }

    @AfterAll
    static void stop() {
        up.close();
    }

    /** Runs {@code code} with {@code BASE} bound to the upstream's URL; returns what it printed. */
    static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("const BASE = '" + up.base() + "';\n" + code);
            assertEquals("[]", js.uncaught().toString(), "uncaught errors");
            return out;
        }
    }

    @Test
    void getReturnsStatusHeadersAndBody() {
        String out = run("""
                const p = fetch(BASE + '/text?body=hi');
                console.log(p instanceof Promise);
                const r = await p;
                console.log(r.status, r.statusText, r.ok, r.type, r.redirected, r.url === BASE + '/text?body=hi');
                console.log(r.headers.get('content-type'), await r.text());
                """);
        assertEquals("true\n200 OK true basic false true\ntext/plain hi", out);
    }
}
