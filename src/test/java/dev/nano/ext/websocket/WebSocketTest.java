package dev.nano.ext.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** WebSocket objects without a network: a WebSocketPair with both ends in the context, and validation. */
class WebSocketTest {
    private static String run(String code) {
        return JsHarness.runChecked(code);
    }

    @Test
    void aPairTalksInProcessInOrder() {
        String out = run("""
                const pair = new WebSocketPair();
                const [a, b] = Object.values(pair);
                console.log(a instanceof WebSocket, b instanceof EventTarget, a.readyState, WebSocket.OPEN, a.CLOSED);
                try { a.send('x'); } catch (e) { console.log(e.name); }
                a.accept(); b.accept();
                try { a.accept(); } catch (e) { console.log(e.name); }
                const got = [];
                b.addEventListener('message', (e) => got.push(e.data instanceof ArrayBuffer
                  ? 'ab:' + new Uint8Array(e.data).join() : e.data instanceof Blob ? 'blob:' + e.data.size : e.data));
                b.onclose = (e) => console.log('b closed', e.code, e.reason, e.wasClean, b.readyState, e instanceof CloseEvent);
                a.onclose = (e) => console.log('a closed', e.code, a.readyState);
                a.send('one'); a.send(new Uint8Array([1, 2])); a.send(new Uint16Array([1]).buffer);
                a.send(new DataView(new Uint8Array([9, 8, 7]).buffer, 1, 2)); a.send(42);
                await new Promise((r) => setTimeout(r, 0));
                b.binaryType = 'blob'; b.binaryType = 'bogus';
                a.send(new Blob(['abc']));
                a.close(1000, 'done');
                console.log(a.readyState);
                a.send('dropped');
                await new Promise((r) => setTimeout(r, 0));
                console.log(got.join(' '), b.binaryType);
                """);
        assertEquals("""
                true true 0 1 3
                InvalidStateError
                InvalidStateError
                2
                b closed 1000 done true 3 true
                a closed 1000 3
                one ab:1,2 ab:1,0 ab:8,7 42 blob:3 blob""", out);
    }

    @Test
    void closeArgumentsAreValidated() {
        String out = run("""
                const [a] = Object.values(new WebSocketPair());
                a.accept();
                for (const args of [[999], [1001], [2999], [5000], [1000, 'x'.repeat(124)], [3000, 'é'.repeat(62)]]) {
                  try { a.close(...args); console.log('ok'); } catch (e) { console.log(e.name); }
                }
                console.log(a.readyState);
                try { new WebSocket('ftp://example.com/'); } catch (e) { console.log(e.name); }
                try { WebSocket.prototype.send.call({}, 'x'); } catch (e) { console.log(e.constructor.name); }
                const m = new MessageEvent('message', { data: 5, origin: 'o' });
                const c = new CloseEvent('close', { code: 4001, reason: 'r', wasClean: true });
                console.log(m.data, m.origin, m.ports.length, c.code, c.reason, c.wasClean, new CloseEvent('close').code);
                """);
        assertEquals("""
                InvalidAccessError
                InvalidAccessError
                InvalidAccessError
                InvalidAccessError
                SyntaxError
                SyntaxError
                1
                SyntaxError
                TypeError
                5 o 0 4001 r true 0""", out);
    }

    @Test
    void whatIsSentBeforeThePeerAcceptsWaitsForIt() {
        String out = run("""
                const [c, d] = Object.values(new WebSocketPair());
                c.accept();
                c.send('early'); c.send(new Uint8Array([7]));
                c.close(3001, 'later');
                console.log(d.bufferedAmount, c.bufferedAmount, c.readyState, d.readyState);
                const got = [];
                d.onmessage = (e) => got.push(typeof e.data === 'string' ? e.data : new Uint8Array(e.data).join());
                d.onclose = (e) => got.push(`close ${e.code} ${e.reason}`);
                c.onclose = (e) => got.push(`c close ${e.code}`);
                await new Promise((r) => setTimeout(r, 0));
                console.log(got.length);
                d.accept();
                await new Promise((r) => setTimeout(r, 0));
                console.log(got.join(' | '), c.readyState, d.readyState);
                """);
        assertEquals("0 6 2 0\n0\nearly | 7 | close 3001 later | c close 3001 3 3", out);
    }
}
