package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * fetch() over TLS speaks HTTP/2 when the upstream offers h2 through ALPN (one connection carries
 * every request, sequential or concurrent) and HTTP/1.1 when it offers only http/1.1. The upstream
 * (Netty, {@link AlpnUpstream}) answers with the protocol it served, since a Response shows none.
 */
class FetchHttp2Test {
    private static TestCertificate cert;

    @BeforeAll
    static void trust() throws Exception {
        cert = TestCertificate.create();
        FetchClients.useSslContext(cert.trusting); // also drops pooled connections of earlier tests
    }

    @AfterAll
    static void untrust() {
        FetchClients.useSslContext(null);
    }

    private static String run(AlpnUpstream up, String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("const BASE = '" + up.base() + "';\n" + code);
            assertEquals("[]", js.uncaught().toString(), "uncaught errors");
            return out;
        }
    }

    private static final String EXCHANGES = """
            const show = async (r) => [r.status, r.statusText === '' ? '-' : r.statusText, r.headers.get('content-type'),
                r.headers.get('x-method'), r.headers.get('x-path'), r.headers.get('x-request-body'), await r.text()].join(' ');
            console.log(await show(await fetch(BASE + '/first?q=1', { method: 'POST', body: 'hello' })));
            const together = await Promise.all([1, 2, 3, 4].map((i) => fetch(BASE + '/together/' + i).then(show)));
            console.log(together.join(' | '));
            for (let i = 1; i <= 3; i++) {
              console.log(await show(await fetch(BASE + '/after/' + i, { method: 'PUT', body: 'n' + i })));
            }
            """;

    @Test
    void anUpstreamOfferingH2IsSpokenToOverHttp2OnOneConnection() throws Exception {
        try (AlpnUpstream up = new AlpnUpstream(cert, "h2", "http/1.1")) {
            String out = run(up, EXCHANGES);
            assertEquals("""
                    201 - text/plain POST /first?q=1 hello h2
                    201 - text/plain GET /together/1  h2 | 201 - text/plain GET /together/2  h2 | \
                    201 - text/plain GET /together/3  h2 | 201 - text/plain GET /together/4  h2
                    201 - text/plain PUT /after/1 n1 h2
                    201 - text/plain PUT /after/2 n2 h2
                    201 - text/plain PUT /after/3 n3 h2""", out);
            assertEquals(Collections.nCopies(8, "h2"), up.served);
            assertEquals(1, up.connections.size(), "HTTP/2 requests to one origin must share one connection: " + up.connections);
        }
    }

    @Test
    void anUpstreamOfferingOnlyHttp11IsSpokenToOverHttp11() throws Exception {
        try (AlpnUpstream up = new AlpnUpstream(cert, "http/1.1")) {
            String out = run(up, EXCHANGES);
            assertEquals("""
                    201 Created text/plain POST /first?q=1 hello http/1.1
                    201 Created text/plain GET /together/1  http/1.1 | 201 Created text/plain GET /together/2  http/1.1 | \
                    201 Created text/plain GET /together/3  http/1.1 | 201 Created text/plain GET /together/4  http/1.1
                    201 Created text/plain PUT /after/1 n1 http/1.1
                    201 Created text/plain PUT /after/2 n2 http/1.1
                    201 Created text/plain PUT /after/3 n3 http/1.1""", out);
            assertEquals(Collections.nCopies(8, "http/1.1"), up.served);
        }
    }
}
