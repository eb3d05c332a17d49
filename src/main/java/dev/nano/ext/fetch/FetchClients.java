package dev.nano.ext.fetch;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;

/**
 * The process's {@link HttpClient}s, shared by every app: one per connect timeout in use (a client
 * fixes its connect timeout), each with its own connection pool (keep-alive per origin), HTTP/2 over
 * TLS where the server offers it through ALPN, and the JDK's trust store. Redirects are never
 * followed here: fetch() follows them itself, by the Fetch Standard's rules.
 */
final class FetchClients {
    private static final Map<Long, HttpClient> CLIENTS = new ConcurrentHashMap<>();
    /**
     * Runs the clients' completions; they only post to an app's event loop, so a few threads serve
     * thousands of fetches in flight.
     */
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("nano-fetch-", 0).daemon(true).factory());
    /** Host name lookups block (InetAddress): a bounded pool of their own. */
    static final ExecutorService RESOLVER = Executors.newFixedThreadPool(4,
            Thread.ofPlatform().name("nano-fetch-dns-", 0).daemon(true).factory());
    private static volatile SSLContext sslContext;

    private FetchClients() {}

    static HttpClient forConnectTimeout(long millis) {
        return CLIENTS.computeIfAbsent(millis, FetchClients::newClient);
    }

    private static HttpClient newClient(long connectTimeoutMillis) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(connectTimeoutMillis))
                .executor(EXECUTOR);
        SSLContext ssl = sslContext;
        if (ssl != null) {
            b.sslContext(ssl);
        }
        return b.build();
    }

    /**
     * Tests only: trust what {@code context} trusts (e.g. a self-signed certificate made by the test)
     * instead of the JDK's trust store; null restores the default. Clients made before are dropped.
     */
    public static void useSslContext(SSLContext context) {
        sslContext = context;
        CLIENTS.clear();
    }
}
