package dev.nano.ext.fetch;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns a failure of the HTTP client into the message of the TypeError that fetch() rejects with:
 * it names the cause (DNS, refused, reset, TLS, timeout) and the host, never a Java class.
 */
final class FetchErrors {
    private FetchErrors() {}

    /** Whether {@code t} is a timeout (a TimeoutError DOMException rather than a TypeError). */
    static boolean isTimeout(Throwable t) {
        return unwrap(t) instanceof HttpTimeoutException;
    }

    static String describe(Throwable error, String origin, long connectTimeoutMs) {
        Throwable t = unwrap(error);
        String detail = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof HttpConnectTimeoutException) {
            return "fetch failed: connecting to " + origin + " timed out after " + connectTimeoutMs + " ms";
        }
        if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
            return "fetch failed: DNS lookup of the host of " + origin + " failed (no such host)";
        }
        if (t instanceof SSLHandshakeException || (t instanceof SSLException && !detail.contains("closed"))) {
            return "fetch failed: TLS handshake with " + origin + " failed: " + rootMessage(t);
        }
        if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
            String why = detail.toLowerCase().contains("refused") || detail.isEmpty() ? "connection refused" : detail;
            return "fetch failed: " + why + " by " + origin;
        }
        if (t instanceof EOFException || detail.contains("reset") || detail.contains("closed")
                || detail.contains("EOF") || detail.contains("no bytes") || detail.contains("bytes received")) {
            return "fetch failed: the connection to " + origin + " was reset or closed before the response was complete"
                    + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
        return "fetch failed: " + origin + ": " + (detail.isEmpty() ? t.getClass().getSimpleName() : detail);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        // the client wraps a connect failure as "java.net.ConnectException" with the real cause inside
        if (t instanceof ConnectException && t.getCause() != null && !(t instanceof HttpConnectTimeoutException)) {
            Throwable c = t.getCause();
            if (c instanceof ConnectException || c instanceof UnresolvedAddressException || c instanceof NoRouteToHostException) {
                return c;
            }
        }
        return t;
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }
}
