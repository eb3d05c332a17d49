package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** Headers (Fetch Standard §5.2): names, combining, Set-Cookie, validation, guards, iteration. */
class HeadersTest {
    static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(code);
            assertEquals("[]", js.uncaught().toString(), "uncaught errors");
            return out;
        }
    }

    @Test
    void namesAreCaseInsensitiveAndValuesOfOneNameCombine() {
        String out = run("""
                const h = new Headers({ 'Content-Type': 'text/plain', 'X-Multi': 'a' });
                h.append('x-MULTI', 'b');
                console.log(h.get('CONTENT-TYPE'), '|', h.get('x-multi'), '|', h.has('X-Multi'), h.get('absent'));
                h.set('X-Multi', 'c');
                console.log(h.get('x-multi'));
                h.delete('X-MULTI');
                console.log(h.has('x-multi'), [...h.keys()].join());
                """);
        assertEquals("text/plain | a, b | true null\nc\nfalse content-type", out);
    }

    @Test
    void iterationIsSortedAndCombinedWithSetCookieKeptApart() {
        String out = run("""
                const h = new Headers([['b', '1'], ['Set-Cookie', 'x=1'], ['a', '2'], ['B', '3'], ['set-cookie', 'y=2']]);
                console.log(JSON.stringify([...h]));
                console.log(h.get('set-cookie'), '|', JSON.stringify(h.getSetCookie()));
                const seen = [];
                h.forEach(function (v, k, self) { seen.push(k + '=' + v + (self === h) + (this === 7)); }, 7);
                console.log(seen.join(' '));
                console.log(JSON.stringify([...h.values()]), h[Symbol.iterator] === h.entries);
                """);
        assertEquals("""
                [["a","2"],["b","1, 3"],["set-cookie","x=1"],["set-cookie","y=2"]]
                x=1, y=2 | ["x=1","y=2"]
                a=2truetrue b=1, 3truetrue set-cookie=x=1truetrue set-cookie=y=2truetrue
                ["2","1, 3","x=1","y=2"] true""", out);
    }

    @Test
    void iteratorsAreLive() {
        String out = run("""
                const h = new Headers({ a: '1', c: '3' });
                const it = h.keys();
                console.log(it.next().value);
                h.append('b', '2');
                console.log(it.next().value, it.next().value, it.next().done);
                console.log(Object.prototype.toString.call(it), typeof it[Symbol.iterator]);
                """);
        assertEquals("a\nb c true\n[object Headers Iterator] function", out);
    }

    @Test
    void valuesAreNormalizedAndValidated() {
        String out = run("""
                const h = new Headers();
                h.set('a', ' \\t padded \\r\\n');
                console.log(JSON.stringify(h.get('a')));
                const bad = [['bad name', 'v'], ['', 'v'], ['a', 'x\\ny'], ['a', 'x\\0y'], ['é', 'v'], ['a', '\\u0100'], ['a:b', 'v']];
                for (const [n, v] of bad) {
                  try { h.append(n, v); console.log('accepted', n); } catch (e) { console.log(e.constructor.name); }
                }
                try { h.get('bad name'); } catch (e) { console.log('get', e.constructor.name); }
                h.append('ok', 'latin1 \\u00e9 is a byte');
                console.log(h.get('ok'));
                try { h.append('a', 'ab\\u0100'); } catch (e) { console.log(e.message); }
                """);
        assertEquals("\"padded\"\n" + "TypeError\n".repeat(7) + "get TypeError\nlatin1 \u00e9 is a byte\n"
                + "Failed to execute 'append' on 'Headers': 'ab\u0100' is not a valid ByteString (character at index 2 is above U+00FF)", out);
    }

    @Test
    void constructorAcceptsHeadersSequencesAndRecordsAndRejectsTheRest() {
        String out = run("""
                const a = new Headers({ X: '1' });
                console.log(JSON.stringify([...new Headers(a)]), JSON.stringify([...new Headers([['y', '2']])]));
                console.log(JSON.stringify([...new Headers(new Map([['m', 'v']]))]));
                for (const init of [null, 1, 'str', [['only-one']], [['a', 'b', 'c']], [1]]) {
                  try { new Headers(init); console.log('accepted', JSON.stringify(init)); } catch (e) { console.log(e.constructor.name); }
                }
                const rec = Object.create({ inherited: 'no' }); rec.own = 'yes';
                Object.defineProperty(rec, 'hidden', { value: 'no', enumerable: false });
                console.log(JSON.stringify([...new Headers(rec)]));
                """);
        assertEquals("""
                [["x","1"]] [["y","2"]]
                [["m","v"]]
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError
                [["own","yes"]]""", out);
    }

    @Test
    void forbiddenHeaderNamesAreNotFilteredOnAServer() {
        String out = run("""
                const h = new Headers({ Host: 'example.com', 'Content-Length': '3', Cookie: 'a=b' });
                console.log([...h.keys()].join());
                const r = new Response('x', { headers: { 'Set-Cookie': 'a=1' } });
                console.log(r.headers.get('set-cookie'));
                """);
        assertEquals("content-length,cookie,host\na=1", out);
    }

    @Test
    void webIdlShapeAndBrandChecks() {
        String out = run("""
                console.log(Headers.length, Headers.prototype.append.length, Headers.prototype.forEach.length,
                  Object.prototype.toString.call(new Headers()), Object.keys(Headers.prototype).join());
                try { Headers.prototype.get.call({}, 'a'); } catch (e) { console.log(e.constructor.name); }
                try { Headers(); } catch (e) { console.log(e.constructor.name); }
                try { new Headers().append('a'); } catch (e) { console.log(e.constructor.name, e.message); }
                console.log(Object.getOwnPropertyDescriptor(globalThis, 'Headers').enumerable);
                """);
        assertEquals("""
                0 2 1 [object Headers] append,delete,get,getSetCookie,has,set,entries,keys,values,forEach
                TypeError
                TypeError
                TypeError Failed to execute 'append' on 'Headers': 2 arguments required, but only 1 present.
                false""", out);
    }
}
