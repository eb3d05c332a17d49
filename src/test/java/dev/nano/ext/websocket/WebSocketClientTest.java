package dev.nano.ext.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import dev.nano.ext.fetch.AddressGuard;
import dev.nano.testing.JsHarness;

/** {@code new WebSocket(url)} in a script: argument checks, and connections that never open. */
class WebSocketClientTest {
    private static String run(String code) {
        return JsHarness.runChecked(code);
    }

    /** A loopback port nothing listens on. */
    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void urlsAndProtocolsAreCheckedAsTheStandardSays() {
        String out = run("""
                for (const args of [['/relative'], ['ftp://example.com/'], ['ws://example.com/#frag'], ['ws://example.com/#'],
                    ['ws://x:99999/'], ['ws://example.com/', 'a b'], ['ws://example.com/', ['chat', 'chat']],
                    ['ws://example.com/', '']]) {
                  try { new WebSocket(...args); console.log('constructed'); } catch (e) { console.log(e.name, e instanceof DOMException); }
                }
                try { new WebSocket(); } catch (e) { console.log(e.name); }
                """);
        assertEquals("""
                SyntaxError true
                SyntaxError true
                SyntaxError true
                SyntaxError true
                SyntaxError true
                SyntaxError true
                SyntaxError true
                SyntaxError true
                TypeError""", out);
    }

    @Test
    void aRefusedConnectionFiresErrorThenClose1006() throws Exception {
        int port = freePort();
        String out = run("""
                const ws = new WebSocket('http://127.0.0.1:%d/path?q', ['chat', 'v2']);
                console.log(ws.url, ws.readyState, ws.protocol === '', ws.extensions === '', ws.bufferedAmount, ws.binaryType);
                try { ws.send('early'); } catch (e) { console.log(e.name); }
                const events = [];
                ws.onopen = () => events.push('open');
                ws.onerror = (e) => events.push('error ' + e.type + ' ' + (e.message.includes('refused') ? 'refused' : e.message));
                await new Promise((resolve) => { ws.onclose = (e) => {
                  events.push(`close ${e.code} ${JSON.stringify(e.reason)} ${e.wasClean} ${ws.readyState}`); resolve(); }; });
                console.log(events.join('\\n'));
                """.formatted(port));
        assertEquals("""
                ws://127.0.0.1:%d/path?q 0 true true 0 blob
                InvalidStateError
                error error refused
                close 1006 "" false 3""".formatted(port), out);
    }

    @Test
    void closeWhileConnectingFailsTheConnection() throws Exception {
        int port = freePort();
        String out = run("""
                const ws = new WebSocket('ws://127.0.0.1:%d/');
                const events = [];
                ws.onopen = () => events.push('open');
                ws.onerror = () => events.push('error');
                ws.close();
                console.log(ws.readyState);
                await new Promise((resolve) => { ws.onclose = (e) => { events.push(`close ${e.code} ${e.wasClean}`); resolve(); }; });
                console.log(events.join(' '), ws.readyState);
                """.formatted(port));
        assertEquals("2\nerror close 1006 false 3", out);
    }

    @Test
    void theAdminPortAndLinkLocalAddressesAreRefused() throws Exception {
        int port = freePort();
        AddressGuard.reservePort(port);
        try {
            String out = run("""
                    for (const url of ['ws://127.0.0.1:%d/', 'ws://169.254.169.254/latest']) {
                      const ws = new WebSocket(url);
                      let message = '';
                      ws.onerror = (e) => { message = e.message; };
                      await new Promise((resolve) => { ws.onclose = (e) => { console.log(e.code, message); resolve(); }; });
                    }
                    """.formatted(port));
            String[] lines = out.split("\n");
            assertEquals(2, lines.length, out);
            assertTrue(lines[0].startsWith("1006 ") && lines[0].contains("admin API"), out);
            assertTrue(lines[1].startsWith("1006 ") && lines[1].contains("link-local"), out);
        } finally {
            AddressGuard.releasePort(port);
        }
    }

    @Test
    void aFetchUpgradeThatCannotConnectRejectsWithATypeError() throws Exception {
        int port = freePort();
        String out = run("""
                for (const init of [{ headers: { Upgrade: 'websocket' } }, { method: 'POST', headers: { upgrade: 'WebSocket' } }]) {
                  try {
                    await fetch('http://127.0.0.1:%d/', init);
                    console.log('resolved');
                  } catch (e) {
                    console.log(e.name, e.message.includes('refused') ? 'refused' : e.message.includes('GET') ? 'not GET' : e.message);
                  }
                }
                """.formatted(port));
        assertEquals("TypeError refused\nTypeError not GET", out);
    }
}
