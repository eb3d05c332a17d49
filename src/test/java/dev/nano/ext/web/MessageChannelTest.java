package dev.nano.ext.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** MessageChannel and MessagePort: delivery as tasks, in order, cloning, transfer, close. */
class MessageChannelTest {
    private static String run(String code) {
        return JsHarness.runChecked(code);
    }

    @Test
    void messagesArriveAsTasksInOrderAsClones() {
        String out = run("""
                const { port1, port2 } = new MessageChannel();
                const sent = { n: 1, nested: [1, 2] };
                const got = [];
                port2.onmessage = (e) => {
                  got.push(e.data);
                  if (got.length === 3) {
                    console.log(JSON.stringify(got), got[0] !== sent, e instanceof MessageEvent, e.isTrusted, e.target === port2);
                    port1.close();
                  }
                };
                port1.postMessage(sent);
                port1.postMessage('two');
                port1.postMessage(3);
                Promise.resolve().then(() => console.log('microtask first', got.length));
                """);
        assertEquals("microtask first 0\n[{\"n\":1,\"nested\":[1,2]},\"two\",3] true true true true", out);
    }

    @Test
    void addEventListenerWaitsForStartAndMessagesQueueUntilThen() {
        String out = run("""
                const { port1, port2 } = new MessageChannel();
                port2.addEventListener('message', (e) => { console.log('got', e.data); port2.close(); });
                port1.postMessage('queued');
                setTimeout(() => { console.log('start'); port2.start(); }, 10);
                """);
        assertEquals("start\ngot queued", out);
    }

    @Test
    void transferringBuffersDetachesThemAndPortsMoveWithTheirQueue() {
        String out = run("""
                const a = new MessageChannel(), b = new MessageChannel();
                const buffer = new Uint8Array([1, 2, 3]).buffer;
                b.port1.postMessage('waiting in the queue');
                a.port1.postMessage({ buffer, port: b.port2 }, [buffer, b.port2]);
                console.log('detached', buffer.byteLength);
                a.port2.onmessage = (e) => {
                  const { buffer: got, port } = e.data;
                  console.log(new Uint8Array(got).join(), e.ports.length, e.ports[0] === port, Object.isFrozen(e.ports));
                  port.onmessage = (m) => { console.log('moved port got', m.data); a.port1.close(); b.port1.close(); };
                };
                try { structuredClone(b.port2, { transfer: [b.port2] }); } catch (e) { console.log(e.name); }
                try { a.port1.postMessage(a.port1, [a.port1]); } catch (e) { console.log(e.name); }
                try { structuredClone(new MessageChannel().port1); } catch (e) { console.log(e.name); }
                """);
        assertEquals("detached 0\nDataCloneError\nDataCloneError\nDataCloneError\n1,2,3 1 true true\nmoved port got waiting in the queue", out);
    }

    @Test
    void closingAPortFiresCloseAtTheOtherAndStopsDelivery() {
        String out = run("""
                const { port1, port2 } = new MessageChannel();
                port2.onclose = () => console.log('closed');
                port2.onmessage = (e) => console.log('unexpected', e.data);
                port1.close();
                port1.postMessage('lost');
                console.log(typeof MessagePort, Object.prototype.toString.call(port1));
                try { new MessagePort(); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("function [object MessagePort]\nTypeError\nclosed", out);
    }
}
