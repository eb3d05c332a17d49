package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * fetch.connectTimeoutMs: a connection that cannot be opened in time rejects with a TimeoutError
 * naming the connect timeout, long before the overall timeout. The unanswered connection is a
 * listener whose accept queue the test has filled (it never accepts): Linux then drops further
 * SYNs, so a connect hangs until the client gives up.
 */
class FetchConnectTimeoutTest {
    private static ServerSocket full;
    private static final List<Socket> fillers = new ArrayList<>();

    @BeforeAll
    static void fillTheAcceptQueue() throws IOException {
        full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        InetSocketAddress at = new InetSocketAddress(full.getInetAddress(), full.getLocalPort());
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            try {
                s.connect(at, 1000); // loopback answers a SYN at once unless the queue is full
            } catch (SocketTimeoutException queueFull) {
                s.close();
                return;
            }
            fillers.add(s);
        }
        Assumptions.abort("this system answers SYNs beyond a full accept queue: no unanswered connect to test with");
    }

    @AfterAll
    static void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        full.close();
    }

    private static String why(String url, long connectTimeoutMs, long timeoutMs) {
        try (JsHarness js = new JsHarness()) {
            FetchOps.of(js.runtime()).configure(new FetchPolicy(connectTimeoutMs, timeoutMs, 0, 0, List.of(), List.of()), null);
            String out = js.run("""
                    await fetch('%s').then((r) => console.log('answered', r.status), (e) => console.log(`${e.name}: ${e.message}`));
                    """.formatted(url));
            assertEquals("[]", js.uncaught().toString(), "uncaught errors");
            return out;
        }
    }

    @Test
    void aConnectionNotOpenedInTimeIsATimeoutErrorNamingTheConnectTimeout() {
        String origin = "http://127.0.0.1:" + full.getLocalPort();
        assertEquals("TimeoutError: fetch failed: connecting to " + origin + " timed out after 300 ms",
                why(origin + "/", 300, 60_000));
    }

    @Test
    void aTlsHandshakeNeverAnsweredIsAConnectTimeoutToo() throws Exception {
        try (Upstream up = new Upstream()) { // its silent listener accepts and never writes a byte
            String origin = up.silentBase().replace("http://", "https://");
            assertEquals("TimeoutError: fetch failed: connecting to " + origin + " timed out after 300 ms",
                    why(origin + "/", 300, 20_000));
        }
    }
}
