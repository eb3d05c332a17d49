package dev.nano.ext.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** Event, CustomEvent, EventTarget and the global object as an EventTarget (web/01_event.js). */
class EventTest {
    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(code);
            assertEquals(0, js.uncaught().size(), () -> "unexpected uncaught: " + js.uncaught());
            return out;
        }
    }

    @Test
    void listenersRunInOrderCaptureFirstAtTheTarget() {
        String out = run("""
                const et = new EventTarget(), log = [];
                et.addEventListener('x', (e) => log.push('b1:' + e.eventPhase));
                et.addEventListener('x', (e) => log.push('c1:' + e.eventPhase), true);
                et.addEventListener('x', (e) => log.push('b2:' + (e.currentTarget === et) + (e.target === et)), { capture: false });
                et.addEventListener('x', (e) => log.push('c2:' + (e.composedPath()[0] === et)), { capture: true });
                et.addEventListener('y', () => log.push('other type'));
                const ev = new Event('x');
                console.log(et.dispatchEvent(ev), log.join(' '));
                console.log(ev.target === et, ev.currentTarget, ev.eventPhase, ev.composedPath().length);
                """);
        assertEquals("true c1:2 c2:true b1:2 b2:truetrue\ntrue null 0 0", out);
    }

    @Test
    void onceDuplicatesAndRemovalMatchTypeCallbackAndCapture() {
        String out = run("""
                const et = new EventTarget(), log = [];
                const f = () => log.push('f');
                et.addEventListener('x', f, { once: true });
                et.addEventListener('x', f);             // same type, callback and capture: ignored
                et.addEventListener('x', f, true);       // capture: a second listener
                et.dispatchEvent(new Event('x'));
                et.dispatchEvent(new Event('x'));        // the once listener is gone, the capture one stays
                et.removeEventListener('x', f);          // capture defaults to false: nothing to remove
                et.dispatchEvent(new Event('x'));
                et.removeEventListener('x', f, { capture: true });
                et.dispatchEvent(new Event('x'));
                console.log(log.length);
                """);
        assertEquals("4", out);
    }

    @Test
    void listenersAddedDuringDispatchWaitAndRemovedOnesDoNotRun() {
        String out = run("""
                const et = new EventTarget(), log = [];
                const late = () => log.push('late');
                const removed = () => log.push('removed');
                et.addEventListener('x', () => { log.push('first'); et.addEventListener('x', late); et.removeEventListener('x', removed); });
                et.addEventListener('x', removed);
                et.dispatchEvent(new Event('x'));
                log.push('|');
                et.dispatchEvent(new Event('x'));
                console.log(log.join(' '));
                """);
        assertEquals("first | first late", out);
    }

    @Test
    void stopImmediatePropagationAndStopPropagation() {
        String out = run("""
                const et = new EventTarget(), log = [];
                et.addEventListener('x', (e) => { log.push('a'); e.stopImmediatePropagation(); });
                et.addEventListener('x', () => log.push('b'));
                et.dispatchEvent(new Event('x'));
                // stopPropagation in a capture listener skips the non-capture listeners at the target
                et.addEventListener('y', (e) => { log.push('cap1'); e.stopPropagation(); }, true);
                et.addEventListener('y', () => log.push('cap2'), true);
                et.addEventListener('y', () => log.push('bubble'));
                const ev = new Event('y');
                et.dispatchEvent(ev);
                console.log(log.join(' '), ev.cancelBubble);
                // the flags are cleared after dispatch, so the event can be dispatched again
                et.dispatchEvent(ev);
                console.log(log.length);
                """);
        assertEquals("a cap1 cap2 false\n5", out);
    }

    @Test
    void handleEventObjectsAreLookedUpAtEachCall() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    const et = new EventTarget();
                    let gets = 0;
                    const listener = { get handleEvent() { gets++; return function (e) { console.log(this === listener, e.type); }; } };
                    et.addEventListener('x', listener);
                    et.dispatchEvent(new Event('x'));
                    et.dispatchEvent(new Event('x'));
                    console.log(gets);
                    const fn = () => console.log('function called');
                    fn.handleEvent = () => console.log('must not be called');
                    et.addEventListener('y', fn);
                    et.dispatchEvent(new Event('y'));
                    et.addEventListener('z', { handleEvent: 42 });
                    et.addEventListener('z', () => console.log('next listener runs'));
                    et.dispatchEvent(new Event('z'));
                    """);
            assertEquals("true x\ntrue x\n2\nfunction called\nnext listener runs", out);
            assertEquals(1, js.uncaught().size(), js.uncaught().toString());
            assertTrue(js.uncaught().get(0).contains("TypeError"), js.uncaught().get(0));
        }
    }

    @Test
    void anExceptionInAListenerIsReportedAndTheOthersStillRun() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    const et = new EventTarget();
                    et.addEventListener('x', () => console.log('one'));
                    et.addEventListener('x', () => { throw new Error('boom'); });
                    et.addEventListener('x', () => console.log('three'));
                    console.log(et.dispatchEvent(new Event('x')));
                    """);
            assertEquals("one\nthree\ntrue", out);
            assertEquals(1, js.uncaught().size(), js.uncaught().toString());
            assertTrue(js.uncaught().get(0).startsWith("Uncaught Error: boom"), js.uncaught().get(0));
        }
    }

    @Test
    void cancelingRespectsCancelableAndPassive() {
        String out = run("""
                const et = new EventTarget();
                et.addEventListener('x', (e) => e.preventDefault());
                console.log(et.dispatchEvent(new Event('x', { cancelable: true })), et.dispatchEvent(new Event('x')));
                const p = new EventTarget();
                p.addEventListener('x', (e) => { e.preventDefault(); e.returnValue = false; console.log('in passive', e.defaultPrevented); }, { passive: true });
                console.log(p.dispatchEvent(new Event('x', { cancelable: true })));
                const e = new Event('y', { cancelable: true });
                e.returnValue = false;
                console.log(e.defaultPrevented, e.returnValue);
                """);
        assertEquals("false true\nin passive false\ntrue\ntrue false", out);
    }

    @Test
    void dispatchingAnEventTwiceAtOnceThrowsInvalidStateError() {
        String out = run("""
                const et = new EventTarget(), ev = new Event('x');
                et.addEventListener('x', () => {
                  try { et.dispatchEvent(ev); } catch (e) { console.log(e.name, e instanceof DOMException); }
                });
                et.dispatchEvent(ev);
                try { et.dispatchEvent({ type: 'x' }); } catch (e) { console.log(e.constructor.name); }
                try { et.addEventListener('x', 'not a listener'); } catch (e) { console.log(e.constructor.name); }
                et.addEventListener('x', null); // ignored
                try { et.addEventListener('x', () => {}, { signal: null }); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("InvalidStateError true\nTypeError\nTypeError\nTypeError", out);
    }

    @Test
    void interfacesLookLikeWebIdl() {
        String out = run("""
                const d = Object.getOwnPropertyDescriptor(new Event('a'), 'isTrusted');
                const d2 = Object.getOwnPropertyDescriptor(new CustomEvent('b'), 'isTrusted');
                console.log(typeof d.get, d.get === d2.get, d.configurable, d.enumerable, !('isTrusted' in Event.prototype));
                console.log(Event.length, CustomEvent.length, EventTarget.length, ErrorEvent.length, PromiseRejectionEvent.length);
                const P = EventTarget.prototype;
                console.log(P.addEventListener.length, P.removeEventListener.length, P.dispatchEvent.length,
                  Event.prototype.initEvent.length, CustomEvent.prototype.initCustomEvent.length);
                console.log(Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE, new Event('x').BUBBLING_PHASE);
                console.log(Object.keys(Event.prototype).includes('type'), Object.keys(EventTarget.prototype).join());
                console.log(Object.prototype.toString.call(new Event('x')), Object.prototype.toString.call(new EventTarget()));
                for (const [o, k] of [[Event.prototype, 'type'], [Event.prototype, 'target'], [CustomEvent.prototype, 'detail']]) {
                  try { Object.getOwnPropertyDescriptor(o, k).get.call({}); console.log('no brand check', k); } catch (e) { console.log(e.constructor.name); }
                }
                try { Event('x'); } catch (e) { console.log(e.constructor.name); }
                try { new Event(); } catch (e) { console.log(e.constructor.name); }
                const t = new Event('t');
                console.log(t.timeStamp > 0, t.isTrusted, t.bubbles, t.cancelable, t.composed, t.srcElement, t.returnValue);
                """);
        assertEquals("""
                function true false true true
                1 1 0 1 2
                2 2 1 1 1
                0 1 2 3 3
                true addEventListener,removeEventListener,dispatchEvent
                [object Event] [object EventTarget]
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError
                true false false false false null true""", out);
    }

    @Test
    void eventInitDictionariesAndLegacyInitializers() {
        String out = run("""
                const read = [];
                const init = { get cancelable() { read.push('cancelable'); return true; }, get bubbles() { read.push('bubbles'); return 1; },
                  get composed() { read.push('composed'); return 0; } };
                const e = new Event('x', init);
                console.log(read.join(), e.bubbles, e.cancelable, e.composed);
                const c = new CustomEvent('c', { detail: { n: 7 } });
                console.log(c.detail.n, new CustomEvent('c').detail);
                c.initCustomEvent('d', true, true, 5);
                console.log(c.type, c.bubbles, c.cancelable, c.detail);
                const et = new EventTarget();
                et.addEventListener('x', (ev) => { ev.initEvent('changed', false, false); console.log('during', ev.type, ev.bubbles); });
                et.dispatchEvent(e);
                e.initEvent('y');
                console.log(e.type, e.bubbles, e.cancelable);
                const err = new ErrorEvent('error', { message: 'm', filename: 'f.js', lineno: 3, colno: 4.7, error: 'e' });
                console.log(err.message, err.filename, err.lineno, err.colno, err.error, new ErrorEvent('error').error);
                const promise = Promise.resolve();
                const pr = new PromiseRejectionEvent('unhandledrejection', { promise, reason: 9 });
                console.log(pr.promise === promise, pr.reason);
                try { new PromiseRejectionEvent('x', {}); } catch (ex) { console.log(ex.constructor.name); }
                """);
        assertEquals("""
                bubbles,cancelable,composed true true false
                7 null
                d true true 5
                during x true
                y false false
                m f.js 3 4 e undefined
                true 9
                TypeError""", out);
    }

    @Test
    void eventTargetCanBeSubclassed() {
        String out = run("""
                class Emitter extends EventTarget {
                  emit(type, detail) { return this.dispatchEvent(new CustomEvent(type, { detail })); }
                }
                const em = new Emitter();
                em.addEventListener('hi', (e) => console.log(e.detail, e.target === em, e instanceof Event));
                em.emit('hi', 'there');
                """);
        assertEquals("there true true", out);
    }

    @Test
    void theGlobalObjectIsAnEventTarget() {
        String out = run("""
                let n = 0;
                addEventListener('ping', function (e) { n++; console.log(this === globalThis, e.target === globalThis); });
                dispatchEvent(new Event('ping'));
                globalThis.dispatchEvent(new Event('ping'));
                const { dispatchEvent: detached } = globalThis;
                detached(new Event('ping')); // WebIDL: an operation called on undefined uses the global
                self.removeEventListener('ping', () => {});
                console.log(n, globalThis instanceof EventTarget, Object.hasOwn(globalThis, 'addEventListener'));
                console.log(Object.keys(globalThis).filter((k) => k.startsWith('on')).join());
                """);
        assertEquals("true true\ntrue true\ntrue true\n3 true false\nonerror,onunhandledrejection", out);
    }

    @Test
    void eventHandlerAttributesKeepTheirPlaceAmongListeners() {
        String out = run("""
                const ac = new AbortController(), log = [];
                const s = ac.signal;
                s.addEventListener('abort', () => log.push('L1'));
                s.onabort = () => log.push('H1');
                s.addEventListener('abort', () => log.push('L2'));
                s.onabort = () => log.push('H2'); // replaces the handler, keeps its place
                console.log(typeof s.onabort);
                s.onabort = 5;                     // not an object: null
                console.log(s.onabort);
                s.onabort = function () { log.push('H3:' + (this === s)); }; // re-added: now last
                ac.abort();
                console.log(log.join(' '));
                """);
        assertEquals("function\nnull\nL1 L2 H3:true", out);
    }

    @Test
    void aGlobalErrorListenerSeesATimerErrorAndPreventDefaultSuppressesTheReport() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    addEventListener('error', (e) => {
                      console.log(e.constructor.name, e.message, e.error instanceof Error, e.isTrusted, e.cancelable);
                      if (e.message === 'handled') e.preventDefault();
                    });
                    setTimeout(() => { throw new Error('handled'); }, 0);
                    setTimeout(() => { throw new Error('not handled'); }, 1);
                    setTimeout(() => console.log('still running'), 2);
                    """);
            assertEquals("ErrorEvent handled true true true\nErrorEvent not handled true true true\nstill running", out);
            assertEquals(1, js.uncaught().size(), js.uncaught().toString());
            assertTrue(js.uncaught().get(0).contains("Error: not handled"), js.uncaught().get(0));
        }
    }

    @Test
    void onerrorGetsTheFiveArgumentsAndReturningTrueCancels() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    onerror = (message, filename, lineno, colno, error) => {
                      console.log(message, typeof filename, typeof lineno, error.message);
                      return true;
                    };
                    queueMicrotask(() => { throw new Error('from a microtask'); });
                    const canceled = !dispatchEvent(new ErrorEvent('error', { cancelable: true, message: 'direct', error: new Error('e') }));
                    console.log(canceled);
                    """);
            assertEquals("direct string number e\ntrue\nfrom a microtask string number from a microtask", out);
            assertEquals(0, js.uncaught().size(), js.uncaught().toString());
        }
    }

    @Test
    void unhandledRejectionEventsCanBeCanceled() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    const p = Promise.reject(new Error('handled'));
                    addEventListener('unhandledrejection', (e) => {
                      console.log(e.constructor.name, e.reason.message, e.promise === p || e.reason.message !== 'handled');
                      if (e.reason.message === 'handled') e.preventDefault();
                    });
                    Promise.reject(new Error('not handled'));
                    """);
            assertEquals("PromiseRejectionEvent handled true\nPromiseRejectionEvent not handled true", out);
            assertEquals(1, js.uncaught().size(), js.uncaught().toString());
            assertTrue(js.uncaught().get(0).contains("(in promise) Error: not handled"), js.uncaught().get(0));
        }
    }

    @Test
    void onunhandledrejectionReturningFalseCancels() {
        try (JsHarness js = new JsHarness()) {
            js.run("""
                    onunhandledrejection = (e) => e.reason !== 1;
                    Promise.reject(1);
                    Promise.reject(2);
                    """);
            assertEquals(1, js.uncaught().size(), js.uncaught().toString());
            assertTrue(js.uncaught().get(0).contains("(in promise) 2"), js.uncaught().get(0));
        }
    }

    @Test
    void anErrorThrownByAnErrorListenerIsNotDispatchedAgain() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    let calls = 0;
                    addEventListener('error', (e) => { calls++; e.preventDefault(); throw new Error('listener failed'); });
                    reportError(new Error('first'));
                    console.log(calls);
                    """);
            assertEquals("1", out);
            assertEquals(1, js.uncaught().size(), js.uncaught().toString());
            assertTrue(js.uncaught().get(0).contains("Error: listener failed"), js.uncaught().get(0));
        }
    }
}
