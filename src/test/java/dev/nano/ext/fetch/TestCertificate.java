package dev.nano.ext.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 made with the JDK's keytool, for the TLS upstreams of the
 * tests: its key for the server and an {@link SSLContext} that trusts it for the client. Test scope only.
 */
final class TestCertificate {
    private static final char[] PASSWORD = "changeit".toCharArray();

    final KeyManagerFactory keys;
    /** Trusts this certificate only (give it to {@link FetchClients#useSslContext}). */
    final SSLContext trusting;

    private TestCertificate(KeyManagerFactory keys, SSLContext trusting) {
        this.keys = keys;
        this.trusting = trusting;
    }

    static TestCertificate create() throws IOException, InterruptedException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("nano-tls");
        Path store = dir.resolve("upstream.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD)).inheritIO().start();
        if (keytool.waitFor() != 0) {
            throw new IOException("keytool failed with exit code " + keytool.exitValue());
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        Files.delete(store);
        Files.delete(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
        return new TestCertificate(kmf, trusting);
    }
}
