package dev.nano.ext.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** AbortController, AbortSignal (abort, timeout, any) and the signal option of addEventListener (web/02_abort.js). */
class AbortTest {
    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(code);
            assertEquals(0, js.uncaught().size(), () -> "unexpected uncaught: " + js.uncaught());
            return out;
        }
    }

    @Test
    void abortFiresOneTrustedEventSynchronouslyWithTheDefaultReason() {
        String out = run("""
                const c = new AbortController(), s = c.signal;
                console.log(s.aborted, s.reason, c.signal === s);
                let n = 0;
                s.addEventListener('abort', (e) => { n++; console.log(e.type, e.isTrusted, e.target === s, e.bubbles, s.aborted); });
                c.abort();
                console.log('after', n);
                c.abort('again');
                console.log(n, s.reason instanceof DOMException, s.reason.name, s.reason.message, s.reason.code, s.reason === s.reason);
                """);
        assertEquals("""
                false undefined true
                abort true true false true
                after 1
                1 true AbortError signal is aborted without reason 20 true""", out);
    }

    @Test
    void reasonsAndThrowIfAborted() {
        String out = run("""
                const r = new Error('why');
                const a = new AbortController(); a.abort(r);
                console.log(a.signal.reason === r);
                try { a.signal.throwIfAborted(); } catch (e) { console.log(e === r); }
                const b = new AbortController(); b.abort(null);
                console.log(b.signal.aborted, b.signal.reason);
                const c = new AbortController(); c.abort(undefined);
                console.log(c.signal.reason.name);
                new AbortController().signal.throwIfAborted();
                try { AbortSignal.abort('str').throwIfAborted(); } catch (e) { console.log(e); }
                """);
        assertEquals("true\ntrue\ntrue null\nAbortError\nstr", out);
    }

    @Test
    void staticAbortReturnsAnAbortedSignalWithoutEvents() {
        String out = run("""
                const s = AbortSignal.abort();
                s.onabort = () => console.log('must not fire');
                s.addEventListener('abort', () => console.log('must not fire either'));
                console.log(s instanceof AbortSignal, s.aborted, s.reason.name);
                const t = AbortSignal.abort(42);
                console.log(t.reason, AbortSignal.abort() !== AbortSignal.abort());
                """);
        assertEquals("true true AbortError\n42 true", out);
    }

    @Test
    void timeoutAbortsWithATimeoutErrorInOrder() {
        String out = run("""
                let result = '';
                const t0 = Date.now();
                for (const v of ['1', '2', '3']) AbortSignal.timeout(5).onabort = () => { result += v; };
                const s = AbortSignal.timeout(5);
                console.log(s.aborted);
                s.onabort = () => console.log(result, s.reason.name, s.reason.message, s.reason instanceof DOMException, Date.now() - t0 >= 4);
                """);
        assertEquals("false\n123 TimeoutError signal timed out true true", out);
    }

    @Test
    void anUnobservedTimeoutSignalDoesNotKeepTheLoopAlive() {
        try (JsHarness js = new JsHarness()) {
            long start = System.nanoTime();
            js.run("""
                    globalThis.s = AbortSignal.timeout(5000);
                    const watched = AbortSignal.timeout(5000);
                    const listener = () => console.log('never');
                    watched.addEventListener('abort', listener);
                    watched.removeEventListener('abort', listener); // unref'd again
                    console.log('done');
                    """);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("done", String.join("\n", js.stdout()));
            assertTrue(millis < 4000, "the loop waited for an unobserved timeout signal: " + millis + " ms");
        }
    }

    @Test
    void anObservedTimeoutSignalKeepsTheLoopAliveDirectlyOrThroughADependent() {
        String out = run("""
                const t = AbortSignal.timeout(30);
                t.addEventListener('abort', () => console.log('listener', t.reason.name));
                const d = AbortSignal.any([AbortSignal.timeout(60)]);
                d.onabort = () => console.log('dependent', d.reason.name);
                """);
        assertEquals("listener TimeoutError\ndependent TimeoutError", out);
    }

    @Test
    void timeoutArgumentsAreEnforcedUnsignedLongLongs() {
        String out = run("""
                for (const v of [-1, NaN, Infinity, 2 ** 53]) {
                  try { AbortSignal.timeout(v); console.log('accepted', v); } catch (e) { console.log(e.constructor.name); }
                }
                try { AbortSignal.timeout(); } catch (e) { console.log(e.constructor.name); }
                console.log(AbortSignal.timeout(1.9) instanceof AbortSignal);
                """);
        assertEquals("TypeError\nTypeError\nTypeError\nTypeError\nTypeError\ntrue", out);
    }

    @Test
    void anyFollowsItsSourcesAndComposes() {
        String out = run("""
                const a = new AbortController(), b = new AbortController(), c = new AbortController();
                const ab = AbortSignal.any([a.signal, b.signal, a.signal]);
                const abc = AbortSignal.any([ab, c.signal]);   // a dependent of a dependent follows a, b and c
                const log = [];
                ab.onabort = (e) => log.push('ab:' + (e.target === ab));
                abc.onabort = () => log.push('abc');
                a.signal.onabort = () => log.push('a:' + ab.aborted + abc.aborted); // dependents are marked first
                console.log(ab.aborted, AbortSignal.any([]).aborted);
                a.abort('reason a');
                console.log(log.join(' '), ab.reason, abc.reason);
                b.abort('reason b');
                console.log(ab.reason);
                const x = AbortSignal.abort();
                const y = AbortSignal.any([new AbortController().signal, x, AbortSignal.abort('later')]);
                console.log(y.aborted, y.reason === x.reason);
                const z = new AbortController(), zd = AbortSignal.any([z.signal]);
                z.abort();
                console.log(zd.reason === z.signal.reason);
                """);
        assertEquals("false false\na:truetrue ab:true abc reason a reason a\nreason a\ntrue true\ntrue", out);
    }

    @Test
    void reentrantAbortsAbortADependentOnce() {
        String out = run("""
                const c1 = new AbortController(), c2 = new AbortController();
                const s = AbortSignal.any([c1.signal, c2.signal]);
                let count = 0;
                c1.signal.addEventListener('abort', () => c2.abort('reason 2'));
                s.addEventListener('abort', () => count++);
                c1.abort('reason 1');
                console.log(count, s.reason);
                """);
        assertEquals("1 reason 1", out);
    }

    @Test
    void anyTakesIterablesOfSignalsOnly() {
        String out = run("""
                const c = new AbortController();
                const s = AbortSignal.any(new Set([c.signal]));
                c.abort(1);
                console.log(s.reason);
                for (const v of [undefined, 5, [1], [new EventTarget()]]) {
                  try { AbortSignal.any(v); console.log('accepted'); } catch (e) { console.log(e.constructor.name); }
                }
                """);
        assertEquals("1\nTypeError\nTypeError\nTypeError\nTypeError", out);
    }

    @Test
    void theSignalOptionRemovesListeners() {
        String out = run("""
                const et = new EventTarget(), c = new AbortController();
                let n = 0;
                const f = () => n++;
                et.addEventListener('x', f, { signal: c.signal });
                et.addEventListener('y', f, { signal: c.signal, capture: true, once: true });
                et.dispatchEvent(new Event('x'));
                c.abort();
                et.dispatchEvent(new Event('x'));
                et.dispatchEvent(new Event('y'));
                et.addEventListener('x', f, { signal: c.signal }); // an aborted signal adds nothing
                et.dispatchEvent(new Event('x'));
                console.log(n);
                // aborting from a listener removes the later listeners of the same dispatch
                const d = new AbortController();
                et.addEventListener('z', () => d.abort(), { signal: d.signal });
                et.addEventListener('z', () => console.log('must not run'), { signal: d.signal });
                et.dispatchEvent(new Event('z'));
                // a dependent signal works as an option too
                const e = new AbortController();
                et.addEventListener('w', f, { signal: AbortSignal.any([e.signal]) });
                e.abort();
                et.dispatchEvent(new Event('w'));
                console.log(n);
                """);
        assertEquals("1\n1", out);
    }

    @Test
    void anErrorInAnAbortListenerIsReportedAndTheOthersRun() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    const c = new AbortController();
                    c.signal.addEventListener('abort', () => { throw new Error('listener broke'); });
                    c.signal.addEventListener('abort', () => console.log('second ran'));
                    c.abort();
                    console.log(c.signal.aborted);
                    """);
            assertEquals("second ran\ntrue", out);
            assertEquals(1, js.uncaught().size(), js.uncaught().toString());
            assertTrue(js.uncaught().get(0).contains("Error: listener broke"), js.uncaught().get(0));
        }
    }

    @Test
    void interfacesLookLikeWebIdl() {
        String out = run("""
                try { new AbortSignal(); } catch (e) { console.log(e.constructor.name, e.message); }
                console.log(AbortSignal.length, AbortController.length, AbortSignal.abort.length, AbortSignal.timeout.length,
                  AbortSignal.any.length, AbortController.prototype.abort.length, AbortSignal.prototype.throwIfAborted.length);
                console.log(Object.keys(AbortSignal.prototype).join(), Object.keys(AbortSignal).join(), Object.keys(AbortController.prototype).join());
                console.log(Object.prototype.toString.call(AbortSignal.abort()), Object.prototype.toString.call(new AbortController()));
                console.log(AbortSignal.abort() instanceof EventTarget, Object.getPrototypeOf(AbortSignal) === EventTarget);
                for (const [o, k] of [[AbortSignal.prototype, 'aborted'], [AbortSignal.prototype, 'reason'], [AbortSignal.prototype, 'onabort'], [AbortController.prototype, 'signal']]) {
                  try { Object.getOwnPropertyDescriptor(o, k).get.call(new EventTarget()); console.log('no brand check', k); } catch (e) { console.log(e.constructor.name); }
                }
                """);
        assertEquals("""
                TypeError Illegal constructor
                0 0 0 1 1 0 0
                aborted,reason,throwIfAborted,onabort abort,timeout,any signal,abort
                [object AbortSignal] [object AbortController]
                true true
                TypeError
                TypeError
                TypeError
                TypeError""", out);
    }
}
