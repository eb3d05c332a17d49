package dev.nano.ext.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * How console.log shows values (internal.inspect). Expected texts are what Deno 2 prints for the
 * same code, with Node's single quotes for strings inside objects (Deno uses double quotes) and
 * Node's brackets around symbol keys.
 */
class InspectTest {
    /** What {@code console.log(<expression>)} prints. */
    private static String log(String expression) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("console.log(" + expression + ");");
            assertEquals("[]", js.uncaught().toString());
            return out;
        }
    }

    private static String run(String code) {
        return JsHarness.runChecked(code);
    }

    @Test
    void primitivesAtTopLevelAndInsideObjects() {
        assertEquals("1 -0 1.5 NaN 1n str true null undefined Symbol(s) Symbol()",
                log("1, -0, 1.5, NaN, 1n, 'str', true, null, undefined, Symbol('s'), Symbol()"));
        assertEquals("""
                [
                  1,         -0,
                  1.5,       NaN,
                  1n,        'str',
                  true,      null,
                  undefined, Symbol(s)
                ]""", log("[1, -0, 1.5, NaN, 1n, 'str', true, null, undefined, Symbol('s')]"));
        assertEquals("[ 1, -0, 'str', null, undefined, Symbol(s) ]", log("[1, -0, 'str', null, undefined, Symbol('s')]"));
        assertEquals("[ 1e+21, -1e-7, Infinity, -Infinity ]", log("[1e21, -1e-7, Infinity, -Infinity]"));
    }

    @Test
    void stringsAreQuotedAndEscapedInsideObjects() {
        assertEquals("{ s: \"it's\", t: 'say \"hi\"', u: `both ' and \"` }",
                log("{ s: \"it's\", t: 'say \"hi\"', u: `both ' and \"` }"));
        assertEquals("""
                [
                  'line\\nbreak',
                  'tab\\t',
                  'nul\\x00',
                  'esc\\x1B',
                  'back\\\\slash',
                  'lone\\ud800'
                ]""", log("['line\\nbreak', 'tab\\t', 'nul\\x00', 'esc\\x1b', 'back\\\\slash', 'lone\\ud800']"));
        assertEquals("[ 'a\\nb', '\\x7F\\x85' ]", log("['a\\nb', '\\x7f\\x85']"));
        assertEquals("[ 'a\\'\"`${b}' ]", log("['a\\'\"`${b}']"));
        // Raw at top level, multi-line strings keep their lines.
        assertEquals("a\nb", log("'a\\nb'"));
    }

    @Test
    void longMultiLineStringsAreSplitPerLine() {
        assertEquals("""
                {
                  s: 'line1\\n' +
                    'line2\\n' +
                    'line3 long long long long long long long long long long long long long long'
                }""", log("{ s: 'line1\\nline2\\nline3' + ' long'.repeat(14) }"));
        assertEquals("[\n  '" + "y".repeat(10000) + "'... 5 more characters\n]", log("['y'.repeat(10005)]"));
    }

    @Test
    void keysAreBareWhenTheyAreIdentifiers() {
        assertEquals("{ '3': 'x', 'a-b': 2, valid_id: 4, '$x': 5, '': 6, [Symbol(k)]: 1 }",
                log("{ [Symbol('k')]: 1, 'a-b': 2, 3: 'x', valid_id: 4, $x: 5, '': 6 }"));
        assertEquals("{ ['__proto__']: 1 }", log("JSON.parse('{\"__proto__\": 1}')"));
    }

    @Test
    void nestedObjectsStopAtDepthFour() {
        assertEquals("""
                {
                  a: {
                    b: { c: { d: { e: [Object] } } }
                  }
                }""", log("{ a: { b: { c: { d: { e: { f: 1 } } } } } }"));
        assertEquals("""
                [
                  [
                    [ [ [ [Array] ] ] ]
                  ]
                ]""", log("[[[[[[1]]]]]]"));
        assertEquals("{ a: 1, b: 'two', c: [ 1, 2, { d: 3 } ] }", log("{ a: 1, b: 'two', c: [1, 2, { d: 3 }] }"));
        assertEquals("{ a: [Object] }", run("console.dir({ a: { b: 1 } }, { depth: 0 })"));
    }

    @Test
    void longObjectsBreakIntoLines() {
        assertEquals("""
                {
                  aaaaaaaaaaaa: 'aaaaaaaaaaaaaaa',
                  bbbbbbbbbbbbbb: 'bbbbbbbbbbbbbbbbbb',
                  cccccccccccc: 'ccccccccccccccccccc',
                  d: 1
                }""", log("{ aaaaaaaaaaaa: 'aaaaaaaaaaaaaaa', bbbbbbbbbbbbbb: 'bbbbbbbbbbbbbbbbbb',"
                + " cccccccccccc: 'ccccccccccccccccccc', d: 1 }"));
        assertEquals("""
                [
                  'aaaaaaaaaaaa',
                  'bbbbbbbbbbbbbbbbbbbb',
                  'ccccccccccccccccccc',
                  'dddddddddddddddddddd',
                  'eeeeeeeeeeeeeeeee'
                ]""", log("['aaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb', 'ccccccccccccccccccc', 'dddddddddddddddddddd',"
                + " 'eeeeeeeeeeeeeeeee']"));
    }

    @Test
    void arraysWithHolesExtraKeysAndManyItems() {
        assertEquals("[ 1, <1 empty item>, 3 ]", log("[1, , 3]"));
        assertEquals("[ <3 empty items>, 4 ]", log("[, , , 4]"));
        assertEquals("[ <5 empty items> ]", log("new Array(5)"));
        assertEquals("[ 1, 2, extra: true ]", log("Object.assign([1, 2], { extra: true })"));
        assertEquals("[]", log("[]"));
        assertEquals("""
                [
                   0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11,
                  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                  24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
                  36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
                  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
                  60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,
                  72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,
                  84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
                  96, 97, 98, 99,
                  ... 20 more items
                ]""", log("Array.from({ length: 120 }, (_, i) => i)"));
        assertEquals("""
                [
                     0,  100,  200,  300,  400,  500,
                   600,  700,  800,  900, 1000, 1100,
                  1200, 1300, 1400, 1500, 1600, 1700,
                  1800, 1900, 2000, 2100, 2200, 2300,
                  2400, 2500, 2600, 2700, 2800, 2900
                ]""", log("Array.from({ length: 30 }, (_, i) => i * 100)"));
        assertEquals("""
                [
                  'a', 'b', 'c',
                  'd', 'e', 'f',
                  'g', 'h'
                ]""", log("['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']"));
        assertEquals("Foo(2) [ 1, 2 ]", log("new (class Foo extends Array {})(1, 2)"));
    }

    @Test
    void hugeArraysPrintQuicklyAndTruncated() {
        String out = run("""
                const t0 = Date.now();
                console.log(new Array(10000000).fill('x'));
                console.log(new Uint8Array(10000000));
                console.log(new Array(10000000));
                console.log(Date.now() - t0 < 10000);
                """);
        assertTrue(out.contains("  ... 9999900 more items\n]\nUint8Array(10000000) ["), out);
        assertTrue(out.endsWith("[ <10000000 empty items> ]\ntrue"), out);
    }

    @Test
    void mapsSetsAndWeakCollections() {
        assertEquals("Map(2) { 'a' => 1, 'b' => { x: 1 } }", log("new Map([['a', 1], ['b', { x: 1 }]])"));
        assertEquals("Set(2) { 1, 'two' }", log("new Set([1, 'two'])"));
        assertEquals("Map(0) {} Set(0) {}", log("new Map(), new Set()"));
        assertEquals("Map(1) { { a: 1 } => [ 1, 2 ] }", log("new Map([[{ a: 1 }, [1, 2]]])"));
        assertEquals("Map(2) { NaN => 'nan', undefined => null }", log("new Map([[NaN, 'nan'], [undefined, null]])"));
        assertEquals("Foo2(1) [Map] { 1 => 2 }", log("new (class Foo2 extends Map {})([[1, 2]])"));
        assertEquals("WeakMap { <items unknown> } WeakSet { <items unknown> }", log("new WeakMap(), new WeakSet()"));
        assertTrue(log("new Set(Array.from({ length: 150 }, (_, i) => i))").endsWith("  99,\n  ... 50 more items\n}"));
    }

    @Test
    void typedArraysBuffersAndDataViews() {
        assertEquals("Uint8Array(3) [ 1, 2, 3 ]", log("new Uint8Array([1, 2, 3])"));
        assertEquals("Float64Array(2) [ 0, 0 ] BigInt64Array(2) [ 0n, 0n ]", log("new Float64Array(2), new BigInt64Array(2)"));
        assertEquals("Float32Array(3) [ 1.5, 2.25, NaN ]", log("new Float32Array([1.5, 2.25, NaN])"));
        assertEquals("ArrayBuffer { [Uint8Contents]: <01 02>, byteLength: 2 }", log("new Uint8Array([1, 2]).buffer"));
        assertEquals("ArrayBuffer { [Uint8Contents]: <>, byteLength: 0 }", log("new ArrayBuffer(0)"));
        assertEquals("""
                DataView {
                  byteLength: 2,
                  byteOffset: 0,
                  buffer: ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }
                }""", log("new DataView(new ArrayBuffer(2))"));
        assertTrue(log("new ArrayBuffer(120)").endsWith("00 00 ... 20 more bytes>,\n  byteLength: 120\n}"));
    }

    @Test
    void classesAndPrototypes() {
        assertEquals("Foo { x: 1 } Foo {} [Object: null prototype] {} [Object: null prototype] { a: 1 }", run("""
                class Foo { constructor() { this.x = 1; } }
                const np = Object.create(null); np.a = 1;
                console.log(new Foo(), Object.create(Foo.prototype), Object.create(null), np);
                """));
        assertEquals("{} Foo { x: 1 }", run("""
                class Foo { constructor() { this.x = 1; } }
                console.log(Object.create({ inherited: 1 }), new (class extends Foo {})());
                """));
        assertEquals("Tagged [TG] {} { [Symbol(Symbol.toStringTag)]: 'X' }", run("""
                class Tagged { get [Symbol.toStringTag]() { return 'TG'; } }
                console.log(new Tagged(), { [Symbol.toStringTag]: 'X' });
                """));
        assertEquals("[Object: null prototype] [T] { x: 1 }",
                log("Object.create(null, { x: { value: 1, enumerable: true }, [Symbol.toStringTag]: { value: 'T' } })"));
        assertEquals("{}", log("Object.defineProperty({}, 'hidden', { value: 1, enumerable: false })"));
    }

    @Test
    void functionsAndClasses() {
        assertEquals("[Function: named] [Function (anonymous)] [AsyncFunction: af] [GeneratorFunction: g]"
                + " [AsyncGeneratorFunction: ag] [Function: max]",
                log("function named() {}, () => {}, async function af() {}, function* g() {}, async function* ag() {}, Math.max"));
        assertEquals("[class Foo] [class (anonymous)] [class Bar extends Foo]", run("""
                class Foo {}
                console.log(Foo, class {}, class Bar extends Foo {});
                """));
        assertEquals("[Function (anonymous)] { prop: 1 }", log("Object.assign(() => {}, { prop: 1 })"));
        assertEquals("{ f: [Function: f], g: [Function: g], h: [class h] }", log("{ f() {}, g: function () {}, h: class {} }"));
        assertEquals("[Function: bound f]", log("(function f() {}).bind(null)"));
    }

    @Test
    void datesRegExpsAndBoxedPrimitives() {
        assertEquals("1970-01-01T00:00:00.000Z Invalid Date /ab+c/gi", log("new Date(0), new Date(NaN), /ab+c/gi"));
        assertEquals("[ 1970-01-02T00:00:00.000Z, /x/y ]", log("[new Date(86400000), /x/y]"));
        assertEquals("[Number: 3] [String: 'abc'] [Boolean: false] [Symbol: Symbol(q)] [BigInt: 5n]",
                log("new Number(3), new String('abc'), new Boolean(false), Object(Symbol('q')), Object(5n)"));
        assertEquals("[String: 'ab'] { x: 1 } [Number: -0] { k: 1 }",
                log("Object.assign(new String('ab'), { x: 1 }), Object.assign(new Number(-0), { k: 1 })"));
    }

    @Test
    void gettersSettersAndSymbols() {
        assertEquals("{ a: [Getter], b: [Setter], c: [Getter/Setter] }",
                log("{ get a() { return 1; }, set b(v) {}, get c() { return 1; }, set c(v) {} }"));
        assertEquals("Symbol(Symbol.iterator) [Object: null prototype] { [Symbol(Symbol.iterator)]: 1 }",
                log("Symbol.iterator, Object.assign(Object.create(null), { [Symbol.iterator]: 1 })"));
        // A getter is not run by printing (it could have side effects).
        assertEquals("{ a: [Getter] } 0", run("""
                let calls = 0;
                const o = { get a() { calls++; return 1; } };
                console.log(o, calls);
                """));
    }

    @Test
    void cyclesAreMarked() {
        assertEquals("<ref *1> { name: 'c', self: [Circular *1] }", run("""
                const cyc = { name: 'c' }; cyc.self = cyc; console.log(cyc);
                """));
        assertEquals("<ref *1> { b: { a: [Circular *1] } }", run("""
                const a = { b: {} }; a.b.a = a; console.log(a);
                """));
        assertEquals("""
                <ref *1> {
                  a: 1,
                  b: [Circular *1],
                  c: [ [Circular *1], { o: [Circular *1] } ],
                  m: Map(1) { [Circular *1] => [Circular *1] }
                }""", run("""
                const o = { a: 1 }; o.b = o; o.c = [o, { o }]; o.m = new Map([[o, o]]); console.log(o);
                """));
        assertEquals("[ { a: 1 }, { a: 1 }, { a: 1 } ]", log("new Array(3).fill({ a: 1 })"));
    }

    @Test
    void errorsPrintTheirStackThenOwnProperties() {
        String out = run("""
                const e = new TypeError('bad'); e.code = 'E_X';
                console.log(e);
                """);
        assertTrue(out.matches("TypeError: bad\n    at [^\n]*main\\.js:1:11 \\{\n  code: 'E_X'\n}"), out);
        out = run("console.log({ err: new RangeError('nested') });");
        assertTrue(out.matches("\\{\n  err: RangeError: nested\n      at [^\n]*main\\.js:1:20\n}"), out);
        out = run("console.log(new Error('with cause', { cause: new Error('the cause') }));");
        assertTrue(out.matches("Error: with cause\n    at [^\n]*\\{\n  \\[cause]: Error: the cause\n      at [^\n]*\n}"), out);
        out = run("console.log(new AggregateError([new Error('a1'), 1], 'agg'));");
        assertTrue(out.matches("AggregateError: agg\n    at [^\n]* \\{\n  \\[errors]: \\[\n    Error: a1\n        at [^\n]*,\n    1\n  ]\n}"), out);
        out = run("class MyErr extends Error {} console.log(new MyErr('x'));");
        assertTrue(out.startsWith("MyErr [Error]: x\n    at "), out);
        out = run("const nm = new Error('nm'); nm.name = 'Renamed'; console.log(nm);");
        assertTrue(out.startsWith("Renamed: nm\n    at "), out);
    }

    @Test
    void errorsWithoutStackFramesAreBracketed() {
        assertEquals("[Error: nostack] [custom stack text] [Error]", run("""
                const ns = new Error('nostack'); ns.stack = undefined;
                const cs = new Error('custom'); cs.stack = 'custom stack text';
                console.log(ns, cs, Object.create(Error.prototype));
                """));
        assertEquals("Error: cause prim\n    at /test/main.js:1:13 {\n  [cause]: 42\n}",
                run("console.log(new Error('cause prim', { cause: 42 }));"));
    }

    @Test
    void domExceptionShowsItsClassAndName() {
        String out = run("console.log(new DOMException('msg', 'AbortError'));");
        assertTrue(out.startsWith("DOMException [AbortError]: msg\n    at "), out);
        out = run("console.log([new DOMException('plain')]);");
        assertTrue(out.startsWith("[\n  DOMException [Error]: plain\n      at "), out);
    }

    @Test
    void nanoInterfaceObjectsShowTheirAttributes() {
        String out = run("""
                const ac = new AbortController();
                console.log(ac.signal);
                """);
        assertTrue(out.startsWith("AbortSignal {") && out.contains("aborted: false") && out.contains("reason: undefined"), out);
        // WebIDL pair iterables print their entries.
        out = run("""
                console.log(new Headers({ a: '1', 'content-type': 'text/plain' }));
                console.log(new URLSearchParams('a=1&b=2'));
                console.log(new Headers());
                """);
        String[] lines = out.split("\n");
        assertEquals("Headers { 'a' => '1', 'content-type' => 'text/plain' }", lines[0]);
        assertTrue(lines[1].startsWith("URLSearchParams { 'a' => '1', 'b' => '2'"), out);
        assertEquals("Headers {}", lines[2]);
    }

    @Test
    void promisesAndIterators() {
        // GraalJS gives JS no way to read a promise's state.
        assertEquals("Promise { <unknown> }", log("Promise.resolve(1)"));
        assertEquals("Object [Array Iterator] {} Object [Generator] {}", log("[1].values(), (function* () {})()"));
        assertEquals("[Arguments] { '0': 1, '1': 2 }", log("(function () { return arguments; })(1, 2)"));
    }

    @Test
    void customInspectHook() {
        assertEquals("C<4, { z: 1 }> [ C<3, { z: 1 }> ]", run("""
                class C { [Symbol.for('nodejs.util.inspect.custom')](depth, opts, inspect) { return `C<${depth}, ${inspect({ z: 1 })}>`; } }
                console.log(new C(), [new C()]);
                """));
        assertEquals("{ replaced: true }", run("""
                class E { [Symbol.for('nodejs.util.inspect.custom')]() { return { replaced: true }; } }
                console.log(new E());
                """));
    }

    @Test
    void weirdValuesNeverThrow() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    const evil = new Proxy({}, {
                      get() { throw new Error('get trap'); }, ownKeys() { throw new Error('ownKeys trap'); },
                      getPrototypeOf() { throw new Error('proto trap'); }, getOwnPropertyDescriptor() { throw new Error('gopd'); },
                    });
                    console.log(evil);
                    console.log({ nested: evil, ok: 1 });
                    console.log('%s|%d|%i|%f|%j|%o', evil, evil, evil, evil, evil, evil);
                    console.log('%s', { toString() { throw new Error('ts'); } });
                    console.log({ get [Symbol.toStringTag]() { throw new Error('tag'); }, a: 1 });
                    console.log(new Proxy({}, { get() { throw new Proxy({}, { get() { throw 1; } }); } }));
                    class D { [Symbol.for('nodejs.util.inspect.custom')]() { throw new Error('custom threw'); } }
                    console.log(new D());
                    const deep = []; let cur = deep; for (let i = 0; i < 100000; i++) { const n = []; cur.push(n); cur = n; }
                    console.dir(deep, { depth: null });
                    const nameless = new Error('wn'); nameless.name = Symbol('s'); console.log(nameless);
                    console.log('survived');
                    """);
            assertEquals("[]", js.uncaught().toString());
            String[] lines = out.split("\n");
            assertEquals("<Inspection threw (get trap)>", lines[0]);
            assertEquals("{ nested: <Inspection threw (get trap)>, ok: 1 }", lines[1]);
            assertEquals("<Inspection threw (get trap)>|NaN|NaN|NaN|<Inspection threw (get trap)>|<Inspection threw (get trap)>", lines[2]);
            assertEquals("{ toString: [Function: toString] }", lines[3]);
            assertEquals("<Inspection threw (tag)>", lines[4]);
            assertEquals("<Inspection threw (unknown error)>", lines[5]);
            assertEquals("<Inspection threw (custom threw)>", lines[6]);
            assertTrue(out.endsWith("survived"), out);
        }
    }

    @Test
    void proxiesArePrintedThroughTheirTraps() {
        assertEquals("[ 1, 2, 3 ] [Function: f] { a: 1 }",
                log("new Proxy([1, 2, 3], {}), new Proxy(function f() {}, {}), new Proxy({ a: 1 }, {})"));
    }

    @Test
    void internalInspectQuotesTopLevelStrings() {
        try (JsHarness js = new JsHarness()) {
            assertEquals("'str'", js.runtime().internal().getMember("inspect").execute("str").asString());
            assertEquals("{ a: [Object] }", js.runtime().internal().getMember("inspect")
                    .execute(js.eval("({ a: { b: 1 } })"), js.eval("({ depth: 0 })")).asString());
        }
    }
}
