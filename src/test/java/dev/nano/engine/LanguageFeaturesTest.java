package dev.nano.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * Language features past ES2025 that Workers (V8) code uses and NANO's engine options turn on: each
 * script checks its cases in JS and prints "ok" or what failed.
 */
class LanguageFeaturesTest {
    private static String check(String body) {
        return JsHarness.runChecked("const fails = [];\n"
                + "const same = (a, b, msg) => { if (a !== b) fails.push(`${msg}: got ${a}, expected ${b}`); };\n"
                + body + "\nconsole.log(fails.length ? fails.join('\\n') : 'ok');");
    }

    @Test
    void arrayFromAsyncCollectsAnAsyncIterable() {
        assertEquals("ok", check("""
                async function* gen() { yield 1; yield Promise.resolve(2); yield 3; }
                Array.fromAsync(gen(), (x) => x * 10).then((a) => same(a.join(), '10,20,30', 'Array.fromAsync'));
                """));
    }

    @Test
    void uint8ArrayBase64AndHex() {
        assertEquals("ok", check("""
                const bytes = new TextEncoder().encode('hello, nano');
                same(bytes.toBase64(), 'aGVsbG8sIG5hbm8=', 'toBase64');
                same(bytes.toBase64({ alphabet: 'base64url', omitPadding: true }), 'aGVsbG8sIG5hbm8', 'toBase64 url');
                same(new TextDecoder().decode(Uint8Array.fromBase64('aGVsbG8sIG5hbm8=')), 'hello, nano', 'fromBase64');
                same(new Uint8Array([0, 15, 255]).toHex(), '000fff', 'toHex');
                same(Uint8Array.fromHex('000fff').join(), '0,15,255', 'fromHex');
                """));
    }

    @Test
    void errorIsErrorAndV8sStackTraceApi() {
        assertEquals("ok", check("""
                same(Error.isError(new TypeError('x')), true, 'Error.isError of an error');
                same(Error.isError({ name: 'Error', message: 'x' }), false, 'Error.isError of a look-alike');
                class HttpError extends Error {
                  constructor(status) { super(`status ${status}`); Error.captureStackTrace(this, HttpError); }
                }
                function thrower() { throw new HttpError(404); }
                try { thrower(); } catch (e) {
                  same(typeof e.stack, 'string', 'captureStackTrace sets stack');
                  same(e.stack.includes('thrower'), true, 'the stack names the caller: ' + e.stack);
                }
                const target = {};
                Error.captureStackTrace(target);
                same(typeof target.stack, 'string', 'captureStackTrace on a plain object');
                same(typeof Error.stackTraceLimit, 'number', 'Error.stackTraceLimit');
                """));
    }
}
