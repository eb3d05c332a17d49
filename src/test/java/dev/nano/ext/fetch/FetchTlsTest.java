package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * fetch() over TLS against an HTTPS upstream with a self-signed certificate made by the test
 * (keytool): refused with a TLS TypeError by the JDK's trust store, accepted once the test trusts it.
 */
class FetchTlsTest {
    private static Upstream up;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        TestCertificate cert = TestCertificate.create();
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(cert.keys.getKeyManagers(), null, null);
        trusting = cert.trusting;
        up = Upstream.https(server);
    }

    @AfterAll
    static void stop() {
        FetchClients.useSslContext(null);
        up.close();
    }

    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("const BASE = '" + up.base() + "';\n" + code);
            assertEquals("[]", js.uncaught().toString(), "uncaught errors");
            return out;
        }
    }

    @Test
    void anUntrustedCertificateIsATlsTypeErrorAndATrustedOneWorks() {
        FetchClients.useSslContext(null);
        String refused = run("await fetch(BASE + '/text').then((r) => console.log('ok', r.status), (e) => console.log(e.name, e.message));");
        assertTrue(refused.startsWith("TypeError fetch failed: TLS handshake with " + up.base() + " failed"), refused);

        FetchClients.useSslContext(trusting);
        String out = run("""
                const r = await fetch(BASE + '/echo', { method: 'POST', body: 'over tls' });
                const j = await r.json();
                console.log(r.status, j.method, j.body, r.url.startsWith('https://'));
                """);
        assertEquals("200 POST over tls true", out);
    }
}
