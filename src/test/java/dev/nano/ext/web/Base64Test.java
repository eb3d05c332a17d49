package dev.nano.ext.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** atob and btoa (HTML §8.3), including Infra's forgiving-base64 decode and the error cases. */
class Base64Test {
    private static String run(String code) {
        return JsHarness.runChecked(code);
    }

    @Test
    void encodesAndDecodesTheRfc4648Vectors() {
        String out = run("""
                for (const s of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) console.log(`${s}=${btoa(s)}=${atob(btoa(s))}`);
                """);
        assertEquals("""
                ==
                f=Zg===f
                fo=Zm8==fo
                foo=Zm9v=foo
                foob=Zm9vYg===foob
                fooba=Zm9vYmE==fooba
                foobar=Zm9vYmFy=foobar""", out);
    }

    @Test
    void everyByteValueRoundTrips() {
        String out = run("""
                let all = '';
                for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
                const encoded = btoa(all);
                console.log(encoded.length, atob(encoded) === all, btoa('\\xff\\xff\\xc0'), btoa('\\0a'));
                """);
        assertEquals("344 true ///A AGE=", out);
    }

    @Test
    void forgivingDecodeStripsAsciiWhitespaceAndAcceptsMissingPadding() {
        String out = run("""
                const show = (s) => [...s].map((c) => c.charCodeAt(0)).join(',');
                console.log(atob(' Zm9v\\tYmFy\\n\\f\\r'));
                console.log(atob('Zg'), atob('Zm8'), atob('Zg=='), atob('Zm8='), atob('Z g = ='));
                console.log(show(atob('ab')), show(atob('abc')), show(atob('/w')), atob('') === '');
                """);
        assertEquals("""
                foobar
                f fo f fo f
                105 105,183 255 true""", out);
    }

    @Test
    void invalidBase64IsAnInvalidCharacterError() {
        String out = run("""
                const inputs = ['a', 'abcde', 'ab=', 'a===', 'Zg=a', '=', '==', 'Zm9v=', 'Zg===', 'Zm9v\\u00e9', 'Zm\\u0100',
                  '\\vZm9v', 'Zm9v\\u00a0', 'Zm-_', 'Zm9v.'];
                for (const s of inputs) {
                  try { atob(s); console.log('no error for', JSON.stringify(s)); }
                  catch (e) { if (!(e instanceof DOMException) || e.name !== 'InvalidCharacterError' || e.code !== 5) console.log('wrong error', e); }
                }
                console.log('done');
                """);
        assertEquals("done", out);
    }

    @Test
    void btoaRejectsCodeUnitsAboveFF() {
        String out = run("""
                for (const s of ['\\u0100', 'abc\\u2603', '\\ud800\\udc00', 'x'.repeat(100000) + '\\u0100']) {
                  try { btoa(s); console.log('no error'); } catch (e) { console.log(e.name, e.code, e instanceof DOMException); }
                }
                console.log(btoa('\\u00ff'));
                """);
        assertEquals("""
                InvalidCharacterError 5 true
                InvalidCharacterError 5 true
                InvalidCharacterError 5 true
                InvalidCharacterError 5 true
                /w==""", out);
    }

    @Test
    void argumentsAreConvertedAsDomStrings() {
        String out = run("""
                const codes = (s) => [...s].map((c) => c.charCodeAt(0)).join(',');
                console.log(btoa(undefined), btoa(null), btoa(12), btoa({ toString() { return 'foo'; } }));
                console.log(codes(atob(null)), codes(atob(12)), codes(atob(true)), codes(atob(NaN)));
                try { atob(undefined); } catch (e) { console.log(e.name); }
                try { atob(); } catch (e) { console.log(e.constructor.name); }
                try { btoa(); } catch (e) { console.log(e.constructor.name); }
                try { btoa(Symbol()); } catch (e) { console.log(e.constructor.name); }
                console.log(typeof atob, atob.length, btoa.length, Object.getOwnPropertyDescriptor(globalThis, 'atob').enumerable);
                """);
        assertEquals("""
                dW5kZWZpbmVk bnVsbA== MTI= Zm9v
                158,233,101 215 182,187,158 53,163
                InvalidCharacterError
                TypeError
                TypeError
                TypeError
                function 1 1 true""", out);
    }

    @Test
    void largeInputsOfAnySize() {
        // 1 MB and a bit: every byte value, repeated (256 is not a multiple of 3, so each byte is
        // met at every position of a base64 group); Java's encoder is the reference.
        int repeats = 4097;
        byte[] bytes = new byte[256 * repeats + 1];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i == bytes.length - 1 ? 'x' : i);
        }
        String expected = Base64.getEncoder().encodeToString(bytes);
        String out = run("""
                let all = '';
                for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
                const data = all.repeat(%d) + 'x';
                const encoded = btoa(data);
                console.log(encoded.length);
                console.log(encoded.slice(0, 64) + '|' + encoded.slice(-64));
                console.log(atob(encoded) === data);
                // The same with whitespace in the middle and at the ends, which atob ignores.
                const half = encoded.length >> 1;
                console.log(atob(' ' + encoded.slice(0, half) + '\\r\\n\\t' + encoded.slice(half) + '\\n') === data);
                """.formatted(repeats));
        String[] lines = out.split("\n");
        assertEquals(String.valueOf(expected.length()), lines[0]);
        assertEquals(expected.substring(0, 64) + "|" + expected.substring(expected.length() - 64), lines[1]);
        assertEquals("true", lines[2]);
        assertEquals("true", lines[3]);
    }

    @Test
    void javaCodecMatchesTheSpecOnEdgeCases() {
        assertEquals("", Base64Codec.decode("   "));
        assertEquals(null, Base64Codec.decode("===="));
        assertEquals("i", Base64Codec.decode("ab"));
        assertEquals(new String(new byte[] {(byte) 0xff}, StandardCharsets.ISO_8859_1), Base64Codec.decode("/w"));
        assertEquals(null, Base64Codec.encode("\u0100"));
        assertTrue(Base64Codec.encode("").isEmpty());
    }
}
