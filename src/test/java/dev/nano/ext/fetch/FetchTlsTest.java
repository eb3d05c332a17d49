package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * fetch() over TLS against an HTTPS upstream with a self-signed certificate made by the test
 * (keytool): refused with a TLS TypeError by the JDK's trust store, accepted once the test trusts it.
 */
class FetchTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static Upstream up;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("nano-tls");
        Path store = dir.resolve("upstream.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD)).inheritIO().start();
        assertEquals(0, keytool.waitFor(), "keytool failed");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
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
