package dev.nano.ext.url;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** URLSearchParams (URL Standard §6.2) and application/x-www-form-urlencoded (§5). */
class UrlSearchParamsTest {
    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(code);
            assertTrue(js.uncaught().isEmpty(), () -> "uncaught: " + js.uncaught());
            return out;
        }
    }

    @Test
    void parsesStringsLikeTheFormParser() {
        String out = run("""
                const p = new URLSearchParams('?a=1&&b=x+y&c&=e&d=%zz%41&m%C3%B8=%C3&a=2=3');
                console.log(JSON.stringify([...p]));
                console.log(p.size, p.get('a'), JSON.stringify(p.getAll('a')), p.get('missing'));
                """);
        assertEquals("""
                [["a","1"],["b","x y"],["c",""],["","e"],["d","%zzA"],["mø","\uFFFD"],["a","2=3"]]
                7 1 ["1","2=3"] null""", out);
    }

    @Test
    void constructsFromSequencesRecordsAndOtherParams() {
        String out = run("""
                console.log(new URLSearchParams([['a', 1], new Set(['b', 'c'])]).toString());
                console.log(new URLSearchParams({ x: 'y', '\\uD800k': 1, '\\uDC00k': 2 }).toString());
                const src = new URLSearchParams('q=1');
                const copy = new URLSearchParams(src);
                src.append('r', '2');
                console.log(copy.toString(), src.toString());
                for (const bad of [[['a']], [['a', 'b', 'c']], [1]]) {
                  try { new URLSearchParams(bad); } catch (e) { console.log(e.constructor.name); }
                }
                console.log(new URLSearchParams(undefined).size, new URLSearchParams(null).toString(),
                            new URLSearchParams(123).toString());
                """);
        assertEquals("""
                a=1&b=c
                x=y&%EF%BF%BDk=2
                q=1 q=1&r=2
                TypeError
                TypeError
                TypeError
                0 null= 123=""", out);
    }

    @Test
    void mutatorsAndTheTwoArgumentForms() {
        String out = run("""
                const p = new URLSearchParams('a=1&b=2&a=3&a=4');
                p.set('a', 'x');
                console.log(p.toString());
                p.append('b', '5'); p.append('c', '6');
                console.log(p.has('b', '5'), p.has('b', '9'), p.has('c'), p.has('b', undefined));
                p.delete('b', '2');
                console.log(p.toString());
                p.delete('b', undefined);
                console.log(p.toString(), p.size);
                p.set('new', 'v');
                console.log(p.toString());
                """);
        assertEquals("""
                a=x&b=2
                true false true true
                a=x&b=5&c=6
                a=x&c=6 2
                a=x&c=6&new=v""", out);
    }

    @Test
    void serializesWithTheFormUrlencodedSet() {
        String out = run("""
                const p = new URLSearchParams();
                p.append('a b', "*-._~!'()+&=%");
                p.append('é', '\\uD83D\\uDE00');
                p.append('lone', '\\uD800');
                console.log(p.toString());
                console.log(new URLSearchParams(p.toString()).get('a b'));
                """);
        assertEquals("""
                a+b=*-._%7E%21%27%28%29%2B%26%3D%25&%C3%A9=%F0%9F%98%80&lone=%EF%BF%BD
                *-._~!'()+&=%""", out);
    }

    @Test
    void sortIsStableByCodeUnits() {
        String out = run("""
                const p = new URLSearchParams('z=1&a=2&\\uFB03=3&\\uD83C\\uDF08=4&a=1&z=0&=e');
                p.sort();
                console.log(JSON.stringify([...p]));
                """);
        assertEquals("[[\"\",\"e\"],[\"a\",\"2\"],[\"a\",\"1\"],[\"z\",\"1\"],[\"z\",\"0\"],[\"\uD83C\uDF08\",\"4\"],[\"\uFB03\",\"3\"]]",
                out);
    }

    @Test
    void iteratorsAreLiveAndLookLikeWebIdlIterators() {
        String out = run("""
                const p = new URLSearchParams('a=1&b=2&c=3');
                const seen = [];
                for (const [k, v] of p) { seen.push(k + v); if (k === 'a') p.delete('b'); }
                console.log(seen.join(','));
                console.log([...p.keys()].join(), [...p.values()].join(), JSON.stringify([...p.entries()]));
                const it = p.entries();
                const proto = Object.getPrototypeOf(it);
                console.log(Object.prototype.toString.call(it), Object.getPrototypeOf(proto) === Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
                console.log(URLSearchParams.prototype[Symbol.iterator] === URLSearchParams.prototype.entries);
                const calls = [];
                p.forEach(function (v, k, obj) { calls.push(`${k}=${v}:${obj === p}:${this.t}`); }, { t: 'this' });
                console.log(calls.join(' '));
                try { proto.next.call({}); } catch (e) { console.log(e.constructor.name); }
                try { URLSearchParams.prototype.get.call({}, 'a'); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("""
                a1,c3
                a,c 1,3 [["a","1"],["c","3"]]
                [object URLSearchParams Iterator] true
                true
                a=1:true:this c=3:true:this
                TypeError
                TypeError""", out);
    }

    @Test
    void namesAndValuesOf64KCharsAndMore() {
        String out = run("""
                const big = 'x'.repeat(70000);
                const p = new URLSearchParams(`a=${big}&${big}=%41&b=1`);
                console.log(p.size, p.get('a').length, p.get(big), p.get('b'));
                const s = p.toString();
                console.log(s.length, new URLSearchParams(s).get(big));
                """);
        assertEquals("3 70000 A 1\n140009 A", out);
    }

    @Test
    void requiredArgumentsAreChecked() {
        String out = run("""
                const p = new URLSearchParams();
                for (const [m, args] of [['append', ['a']], ['set', ['a']], ['get', []], ['getAll', []], ['has', []], ['delete', []]]) {
                  try { p[m](...args); console.log('no error for ' + m); } catch (e) { console.log(e.constructor.name); }
                }
                """);
        assertEquals("TypeError\nTypeError\nTypeError\nTypeError\nTypeError\nTypeError", out);
    }

    @Test
    void internalHooksForBodies() {
        try (JsHarness js = new JsHarness()) {
            Value url = js.runtime().internal().getMember("url");
            Value params = js.eval("new URLSearchParams('a=1&b=x y')");
            assertTrue(url.getMember("isURLSearchParams").execute(params).asBoolean());
            assertFalse(url.getMember("isURLSearchParams").execute(js.eval("({})")).asBoolean());
            js.eval("URLSearchParams.prototype.toString = () => 'app'");
            assertEquals("a=1&b=x+y", url.getMember("serializeSearchParams").execute(params).asString());
            Value list = url.getMember("parseUrlencoded").execute("?a=%41&&b");
            assertEquals("[\"?a\",\"A\",\"b\",\"\"]", js.eval("JSON.stringify").execute(list).asString());
        }
    }
}
