package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/** Clients that reset their connections are routine for a server: no warning, no stack trace. */
class ConnectionResetTest {
    @Test
    void aClientResettingItsConnectionIsNotLoggedAsAWarning() throws Exception {
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r.getLoggerName() + ": " + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try (TestServer t = TestServer.config("nano.json", """
                { "apps": [ { "name": "ok", "path": "ok.js" } ], "admin": { "port": 0, "token": "secret" } }
                """, "ok.js", "export default { fetch() { return new Response('ok'); } };")) {
            for (int i = 0; i < 5; i++) {
                resetAfterOneRequest(t.server.port(), "/"); // the apps' listener
                resetAfterOneRequest(t.server.adminPort(), "/healthz"); // the admin listener (health checks)
            }
            // the server goes on serving; a warning, if any, is logged on the connection's thread by now
            for (int i = 0; i < 5; i++) {
                assertEquals("ok", t.get("/").body());
            }
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(warnings.isEmpty(), "warnings: " + warnings);
    }

    private static void resetAfterOneRequest(int port, String path) throws Exception {
        RawClient c = new RawClient(port);
        c.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertEquals(200, c.read().status());
        c.reset(); // idle keep-alive connection: the server's next read gets ECONNRESET
    }
}
