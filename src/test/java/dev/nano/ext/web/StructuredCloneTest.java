package dev.nano.ext.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** structuredClone (HTML §2.7): each script checks its cases in JS and prints "ok" or what failed. */
class StructuredCloneTest {
    private static final String PRELUDE = """
            const fails = [];
            const show = (v) => { try { return typeof v === 'bigint' ? v + 'n' : Object.is(v, -0) ? '-0' : String(v); } catch { return typeof v; } };
            function ok(cond, msg) { if (!cond) fails.push(msg); }
            function same(actual, expected, msg) {
              if (!Object.is(actual, expected)) fails.push(`${msg}: got ${show(actual)}, expected ${show(expected)}`);
            }
            function cloneFails(f, msg) {
              try { f(); fails.push(`${msg}: did not throw`); return; } catch (e) {
                if (!(e instanceof DOMException) || e.name !== 'DataCloneError' || e.code !== 25) fails.push(`${msg}: threw ${e}`);
              }
            }
            function typeErrorFrom(f, msg) {
              try { f(); fails.push(`${msg}: did not throw`); } catch (e) { if (!(e instanceof TypeError)) fails.push(`${msg}: threw ${e}`); }
            }
            """;

    private static String check(String body) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(PRELUDE + body + "\nconsole.log(fails.length ? fails.join('\\n') : 'ok');");
            assertEquals(List.of(), js.uncaught(), "uncaught");
            return out;
        }
    }

    @Test
    void primitivesComeBackAsTheSameValues() {
        assertEquals("ok", check("""
                for (const v of [undefined, null, true, false, '', '\\uD800', '\\u0000', '\\uDBFF\\uDFFD', 0.2, 0, -0, NaN,
                                 Infinity, -Infinity, 9007199254740994, -9007199254740994, 0n, -12n,
                                 -9007199254740994000900719925474099400090071992547409940009007199254740994000n]) {
                  same(structuredClone(v), v, 'primitive ' + show(v));
                }
                same(Object.is(structuredClone([-0])[0], -0), true, '-0 inside an array');
                """));
    }

    @Test
    void primitiveWrappersDatesAndRegExps() {
        assertEquals("ok", check("""
                const b = structuredClone(new Boolean(false));
                ok(b instanceof Boolean && b.valueOf() === false, 'Boolean wrapper');
                const n = structuredClone(new Number(-0));
                ok(n instanceof Number && Object.is(n.valueOf(), -0), 'Number wrapper -0');
                const s = new String('ab'); s.extra = 1;
                const sc = structuredClone(s);
                ok(sc instanceof String && sc.valueOf() === 'ab' && sc !== s && sc.extra === undefined, 'String wrapper, own props dropped');
                const big = structuredClone(Object(-9007199254740994n));
                ok(typeof big === 'object' && big instanceof BigInt && big.valueOf() === -9007199254740994n, 'BigInt wrapper');
                const d = new Date(8.64e15);
                const dc = structuredClone(d);
                ok(dc instanceof Date && dc !== d && dc.getTime() === 8.64e15, 'Date');
                ok(Number.isNaN(structuredClone(new Date(NaN)).getTime()), 'invalid Date');
                const r = /fo+/gimsuyd; r.lastIndex = 3;
                const rc = structuredClone(r);
                ok(rc instanceof RegExp && rc !== r, 'RegExp');
                same(rc.source, 'fo+', 'RegExp source');
                same(rc.flags, 'dgimsuy', 'RegExp flags');
                same(rc.lastIndex, 0, 'RegExp lastIndex not kept');
                same(structuredClone(/a/v).flags, 'v', 'unicodeSets flag');
                same(structuredClone(new RegExp('/')).source, '\\\\/', 'RegExp slash source');
                // Only inheriting from a built-in prototype does not make an object that built-in.
                const fake = structuredClone(Object.create(Date.prototype));
                ok(!(fake instanceof Date) && Object.getPrototypeOf(fake) === Object.prototype, 'Object.create(Date.prototype) is ordinary');
                const swapped = Object.setPrototypeOf(new Date(5), null);
                ok(structuredClone(swapped) instanceof Date, 'a Date with a null prototype is still a Date');
                """));
    }

    @Test
    void plainObjectsCopyOwnEnumerableStringKeysAndRunGetters() {
        assertEquals("ok", check("""
                const sym = Symbol('s');
                function Foo() { this.own = 1; }
                Foo.prototype.inherited = 2;
                const input = new Foo();
                Object.defineProperty(input, 'hidden', { value: 3, enumerable: false });
                input[sym] = 4;
                Object.defineProperty(input, 'fixed', { value: 'bar', enumerable: true, writable: false, configurable: false });
                const c = structuredClone(input);
                same(Object.getPrototypeOf(c), Object.prototype, 'class instance becomes a plain object');
                same(JSON.stringify(Object.keys(c)), '["own","fixed"]', 'keys');
                ok(!('inherited' in c) && !('hidden' in c) && Object.getOwnPropertySymbols(c).length === 0, 'skipped keys');
                const d = Object.getOwnPropertyDescriptor(c, 'fixed');
                ok(d.writable && d.enumerable && d.configurable, 'copied properties are plain data properties');

                let calls = 0;
                const withGetter = { get a() { calls++; delete this.b; this.z = 1; return 5; }, b: 2, c: 3 };
                const g = structuredClone(withGetter);
                same(calls, 1, 'getter called once');
                same(JSON.stringify(g), '{"a":5,"c":3}', 'a getter that deletes a later key and adds one');
                ok(!Object.getOwnPropertyDescriptor(g, 'a').get, 'getter becomes a data property');

                const proto = structuredClone(JSON.parse('{"__proto__": 1}'));
                ok(Object.getPrototypeOf(proto) === Object.prototype && Object.getOwnPropertyDescriptor(proto, '__proto__').value === 1, 'own __proto__ key');

                Object.defineProperty(Object.prototype, 'trap', { set(v) { fails.push('setter on Object.prototype ran'); }, configurable: true });
                structuredClone({ trap: 1 });
                delete Object.prototype.trap;

                const op = structuredClone(Object.prototype);
                ok(op !== Object.prototype && Object.getPrototypeOf(op) === Object.prototype, 'Object.prototype loses its exotic-ness');
                Object.setPrototypeOf(op, { some: 'proto' });

                let err;
                try { structuredClone({ get a() { throw new RangeError('from getter'); } }); } catch (e) { err = e; }
                ok(err instanceof RangeError && err.message === 'from getter', 'errors from getters propagate');
                """));
    }

    @Test
    void gettersRunDepthFirstInPropertyOrder() {
        assertEquals("ok", check("""
                const log = [];
                const input = {
                  a: { get x() { log.push('a.x'); return { get deep() { log.push('a.x.deep'); return 1; } }; },
                       get y() { log.push('a.y'); return 2; } },
                  get b() { log.push('b'); return new Map([[{ get k() { log.push('b.key'); return 0; } },
                                                          { get v() { log.push('b.value'); return 0; } }]]); },
                  c: [{ get z() { log.push('c.0.z'); return 3; } }],
                };
                structuredClone(input);
                same(log.join(), 'a.x,a.x.deep,a.y,b,b.key,b.value,c.0.z', 'getter order');
                """));
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        assertEquals("ok", check("""
                let list = null;
                for (let i = 0; i < 5000; i++) list = { i, next: list };
                let c = structuredClone(list), n = 0;
                while (c) { if (c.i !== 4999 - n) { fails.push('wrong node ' + n); break; } n++; c = c.next; }
                same(n, 5000, 'linked list length');
                // object -> array -> Map -> Error -> cause -> ..., 2000 levels (recursion overflowed below 1000)
                const top = {};
                let node = top;
                for (let i = 1; i <= 2000; i++) {
                  node.child = [new Map([[i, new TypeError('e' + i, { cause: {} })]])];
                  node = node.child[0].get(i).cause;
                }
                let d = structuredClone(top), depth = 0;
                while (d.child) {
                  const e = d.child[0].get(depth + 1);
                  if (!(e instanceof TypeError) || e.message !== 'e' + (depth + 1)) { fails.push('wrong error at ' + depth); break; }
                  d = e.cause;
                  depth++;
                }
                same(depth, 2000, 'mixed nesting depth');
                """));
    }

    @Test
    void arraysKeepHolesLengthAndExtraProperties() {
        assertEquals("ok", check("""
                const a = [1, , 3];
                a.length = 10;
                a.foo = 'bar';
                const c = structuredClone(a);
                ok(Array.isArray(c) && c !== a, 'array');
                same(c.length, 10, 'length');
                ok(!(1 in c) && !(5 in c), 'holes stay holes');
                same(JSON.stringify(Object.keys(c)), '["0","2","foo"]', 'keys');
                same(c.foo, 'bar', 'non-index property');
                same(structuredClone(new Array(1e6)).length, 1e6, 'big sparse array');
                class MyArray extends Array {}
                same(Object.getPrototypeOf(structuredClone(MyArray.from([1]))), Array.prototype, 'Array subclass becomes Array');
                const o = structuredClone({ 0: 'foo', length: 1 });
                ok(!Array.isArray(o) && o.length === 1 && o[0] === 'foo', 'array-like object stays an object');
                """));
    }

    @Test
    void cyclesAndSharedReferencesKeepTheirShape() {
        assertEquals("ok", check("""
                const shared = { n: 1 };
                const root = { a: shared, b: [shared, shared], m: new Map([[shared, shared]]), s: new Set([shared]) };
                root.self = root;
                root.b.push(root.b);
                const c = structuredClone(root);
                ok(c !== root && c.self === c, 'object cycle');
                ok(c.a !== shared && c.a === c.b[0] && c.b[0] === c.b[1], 'shared object');
                ok(c.b[2] === c.b, 'array cycle');
                const [[k, v]] = c.m;
                ok(k === c.a && v === c.a, 'Map key and value keep identity');
                ok(c.s.has(c.a), 'Set member keeps identity');
                const m = new Map(); m.set(m, m);
                const mc = structuredClone(m);
                ok(mc.get(mc) === mc, 'Map containing itself');
                """));
    }

    @Test
    void mapsAndSetsKeepInsertionOrderFromASnapshot() {
        assertEquals("ok", check("""
                const m = new Map([[3, 'c'], ['a', 1], [{}, 2]]);
                m.extra = true;
                const mc = structuredClone(m);
                ok(mc instanceof Map && mc !== m && mc.extra === undefined, 'Map');
                same(JSON.stringify([...mc].map(([k]) => typeof k === 'object' ? 'obj' : k)), '[3,"a","obj"]', 'Map order');
                const s = structuredClone(new Set([3, 1, 2, 1]));
                same([...s].join(), '3,1,2', 'Set order');
                // Entries are copied before serialization: changes made by getters do not show (HTML §2.7.3).
                const live = new Map([[1, { get x() { live.set(2, 2); live.delete(3); return 0; } }], [3, 3]]);
                same(JSON.stringify([...structuredClone(live).keys()]), '[1,3]', 'Map snapshot');
                class MyMap extends Map {}
                same(Object.getPrototypeOf(structuredClone(new MyMap([[1, 1]]))), Map.prototype, 'Map subclass');
                ok(!(structuredClone(Object.create(Map.prototype)) instanceof Map), 'Object.create(Map.prototype) is ordinary');
                """));
    }

    @Test
    void buffersAndEveryTypedArrayKind() {
        assertEquals("ok", check("""
                const buf = new Uint8Array([1, 2, 3, 4]).buffer;
                const bc = structuredClone(buf);
                ok(bc instanceof ArrayBuffer && bc !== buf && bc.byteLength === 4 && new Uint8Array(bc)[3] === 4, 'ArrayBuffer copy');
                new Uint8Array(bc)[0] = 9;
                same(new Uint8Array(buf)[0], 1, 'copy does not share memory');
                const rab = new ArrayBuffer(2, { maxByteLength: 16 });
                const rc = structuredClone(rab);
                ok(rc.resizable && rc.maxByteLength === 16 && rc.byteLength === 2, 'resizable ArrayBuffer');
                for (const [Ctor, values] of [[Int8Array, [-1, 2]], [Uint8Array, [255, 1]], [Uint8ClampedArray, [255, 0]],
                    [Int16Array, [-300, 7]], [Uint16Array, [65535, 1]], [Int32Array, [-1e9, 5]], [Uint32Array, [4e9, 3]],
                    [Float16Array, [1.5, -0.25]], [Float32Array, [0.5, NaN]], [Float64Array, [Math.PI, -0]],
                    [BigInt64Array, [-(2n ** 63n), 5n]], [BigUint64Array, [2n ** 64n - 1n, 0n]]]) {
                  const ta = new Ctor(values);
                  const tc = structuredClone(ta);
                  ok(tc instanceof Ctor && tc.buffer !== ta.buffer && tc.length === 2, Ctor.name);
                  for (let i = 0; i < 2; i++) same(tc[i], ta[i], `${Ctor.name}[${i}]`);
                }
                """));
    }

    @Test
    void viewsOnOneBufferStayOnOneClonedBuffer() {
        assertEquals("ok", check("""
                const buf = new ArrayBuffer(16);
                const u8 = new Uint8Array(buf, 1, 4);
                const dv = new DataView(buf, 2, 8);
                const f64 = new Float64Array(buf, 8, 1);
                const c = structuredClone({ u8, dv, f64, buf });
                ok(c.u8.buffer === c.dv.buffer && c.dv.buffer === c.f64.buffer && c.buf === c.u8.buffer, 'one buffer');
                ok(c.buf !== buf, 'a new buffer');
                same(c.u8.byteOffset, 1, 'u8 offset'); same(c.u8.length, 4, 'u8 length');
                same(c.dv.byteOffset, 2, 'dv offset'); same(c.dv.byteLength, 8, 'dv length');
                same(c.f64.byteOffset, 8, 'f64 offset');
                c.dv.setUint8(0, 42);
                same(c.u8[1], 42, 'writes through one view show in the other');
                // A view made without a length on a resizable buffer tracks the buffer's size.
                const rab = new ArrayBuffer(4, { maxByteLength: 8 });
                new Uint8Array(rab).set([1, 2, 3, 4]);
                const t = structuredClone([new Uint16Array(rab), new Uint16Array(rab, 0, 2), new DataView(rab, 1)]);
                same(rab.byteLength, 4, 'original buffer size unchanged');
                same(new Uint8Array(rab).join(), '1,2,3,4', 'original bytes unchanged');
                t[0].buffer.resize(8);
                same(t[0].length, 4, 'length-tracking typed array');
                same(t[1].length, 2, 'fixed-length typed array');
                same(t[2].byteLength, 7, 'length-tracking DataView');
                const full = new ArrayBuffer(4, { maxByteLength: 4 });
                new Uint8Array(full).set([5, 6, 7, 8]);
                const ft = structuredClone([new Uint8Array(full), new Uint8Array(full, 0, 4)]);
                same(new Uint8Array(full).join(), '5,6,7,8', 'probe at max size restores the bytes');
                ft[0].buffer.resize(2);
                ok(ft[0].length === 2 && ft[1].length === 0, 'tracking vs fixed at max size');
                const oob = new Uint8Array(rab, 2, 2);
                rab.resize(1);
                cloneFails(() => structuredClone(oob), 'out-of-bounds view');
                """));
    }

    @Test
    void errorsKeepTypeMessageStackAndCause() {
        assertEquals("ok", check("""
                for (const Ctor of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError]) {
                  const e = new Ctor('msg');
                  const c = structuredClone(e);
                  ok(c instanceof Ctor && c !== e && Object.getPrototypeOf(c) === Ctor.prototype, Ctor.name);
                  same(c.message, 'msg', Ctor.name + ' message');
                  same(c.stack, e.stack, Ctor.name + ' stack');
                  ok(!Object.getOwnPropertyDescriptor(c, 'message').enumerable, Ctor.name + ' message not enumerable');
                }
                const agg = structuredClone(new AggregateError([1], 'm'));
                ok(Object.getPrototypeOf(agg) === Error.prototype && agg.message === 'm' && agg.errors === undefined, 'AggregateError becomes Error');
                const renamed = new TypeError('x'); renamed.name = 'RangeError';
                ok(structuredClone(renamed) instanceof RangeError, 'name decides the type');
                const custom = new TypeError('x'); custom.name = 'MyError';
                same(Object.getPrototypeOf(structuredClone(custom)), Error.prototype, 'unknown name becomes Error');
                class MyError extends RangeError {}
                same(Object.getPrototypeOf(structuredClone(new MyError('y'))), RangeError.prototype, 'subclass');
                ok(!Object.hasOwn(structuredClone(new Error()), 'message'), 'no own message stays absent');
                const inherited = new Error(); Object.defineProperty(inherited, 'message', { get() { return 'g'; } });
                ok(!Object.hasOwn(structuredClone(inherited), 'message'), 'accessor message is dropped');
                const numeric = new Error(); numeric.message = 42;
                same(structuredClone(numeric).message, '42', 'message converted to a string');
                const extra = new Error('e'); extra.foo = 1;
                same(structuredClone(extra).foo, undefined, 'other own properties dropped');
                const withCause = new Error('outer', { cause: { code: 7 } });
                const cc = structuredClone(withCause);
                ok(cc.cause.code === 7 && cc.cause !== withCause.cause, 'cause cloned');
                ok(!Object.getOwnPropertyDescriptor(cc, 'cause').enumerable, 'cause not enumerable');
                ok(Object.hasOwn(structuredClone(new Error('u', { cause: undefined })), 'cause'), 'own undefined cause kept');
                ok(!Object.hasOwn(structuredClone(new Error('n')), 'cause'), 'no cause stays absent');
                const loop = new Error('loop'); loop.cause = loop;
                const lc = structuredClone(loop);
                ok(lc.cause === lc, 'cause cycle');
                ok(!(structuredClone(Object.create(Error.prototype)) instanceof Error), 'Object.create(Error.prototype) is ordinary');
                const fake = structuredClone({ [Symbol.toStringTag]: 'Error', message: 'x' });
                ok(!(fake instanceof Error) && fake.message === 'x', 'a toStringTag does not make an Error');
                """));
    }

    @Test
    void domExceptionIsSerializable() {
        assertEquals("ok", check("""
                const e = new DOMException('gone', 'NotFoundError');
                const c = structuredClone(e);
                ok(c instanceof DOMException && c !== e, 'DOMException');
                same(c.name, 'NotFoundError', 'name'); same(c.message, 'gone', 'message'); same(c.code, 8, 'code');
                same(c.stack, e.stack, 'stack');
                const nested = structuredClone({ list: [e, e] });
                ok(nested.list[0] === nested.list[1], 'shared DOMException');
                """));
    }

    @Test
    void uncloneableValuesThrowDataCloneError() {
        assertEquals("ok", check("""
                cloneFails(() => structuredClone(() => 1), 'function');
                cloneFails(() => structuredClone(class {}), 'class');
                cloneFails(() => structuredClone(Symbol('s')), 'symbol');
                cloneFails(() => structuredClone({ nested: [Symbol.iterator] }), 'nested symbol');
                cloneFails(() => structuredClone(Object(Symbol())), 'Symbol wrapper');
                cloneFails(() => structuredClone(new WeakMap()), 'WeakMap');
                cloneFails(() => structuredClone(new WeakSet()), 'WeakSet');
                cloneFails(() => structuredClone(new WeakRef({})), 'WeakRef');
                cloneFails(() => structuredClone(new FinalizationRegistry(() => {})), 'FinalizationRegistry');
                cloneFails(() => structuredClone(Promise.resolve()), 'Promise');
                cloneFails(() => structuredClone([].values()), 'array iterator');
                cloneFails(() => structuredClone(new Map().keys()), 'map iterator');
                cloneFails(() => structuredClone((function* () {})()), 'generator');
                cloneFails(() => structuredClone((function () { return arguments; })(1)), 'arguments');
                cloneFails(() => structuredClone(new SharedArrayBuffer(1)), 'SharedArrayBuffer');
                cloneFails(() => structuredClone(new Intl.Collator()), 'Intl object');
                cloneFails(() => structuredClone(new Event('x')), 'Event (platform object)');
                cloneFails(() => structuredClone(new AbortController()), 'AbortController (platform object)');
                cloneFails(() => structuredClone(new (class extends EventTarget {})()), 'EventTarget subclass');
                const detached = new ArrayBuffer(4);
                const views = [new Uint8Array(detached), new DataView(detached)];
                detached.transfer();
                cloneFails(() => structuredClone(detached), 'detached ArrayBuffer');
                cloneFails(() => structuredClone(views[0]), 'typed array on a detached buffer');
                cloneFails(() => structuredClone(views[1]), 'DataView on a detached buffer');
                let error;
                try { structuredClone(function f() {}); } catch (e) { error = e; }
                ok(error instanceof Error && error.code === DOMException.DATA_CLONE_ERR, 'DataCloneError is a DOMException');
                """));
    }

    @Test
    void transferDetachesTheSourceAndMovesItsContents() {
        assertEquals("ok", check("""
                const buf = new Uint8Array([1, 2, 3]).buffer;
                const view = new Uint8Array(buf, 1);
                const c = structuredClone({ view, buf }, { transfer: [buf] });
                ok(buf.detached && buf.byteLength === 0, 'source detached');
                ok(c.buf.byteLength === 3 && c.view.buffer === c.buf && c.view.join() === '2,3', 'contents moved, view on it');
                const lone = new Uint8Array([7]).buffer;
                same(new Uint8Array(structuredClone(lone, { transfer: [lone] }))[0], 7, 'transfer the value itself');
                const other = new ArrayBuffer(2);
                const r = structuredClone(5, { transfer: new Set([other]) });
                ok(r === 5 && other.detached, 'transfer from any iterable, even when unused');
                const rab = new ArrayBuffer(2, { maxByteLength: 8 });
                const rc = structuredClone(rab, { transfer: [rab] });
                ok(rab.detached && rc.resizable && rc.maxByteLength === 8, 'resizable stays resizable');
                same(structuredClone(1, { transfer: [] }), 1, 'empty transfer list');
                same(structuredClone(1, null), 1, 'null options');
                same(structuredClone(1, { transfer: undefined }), 1, 'undefined transfer');

                const dup = new ArrayBuffer(1);
                cloneFails(() => structuredClone(dup, { transfer: [dup, dup] }), 'duplicate');
                ok(!dup.detached, 'nothing detached after a failed transfer list');
                cloneFails(() => structuredClone(1, { transfer: [{}] }), 'not transferable');
                cloneFails(() => structuredClone(1, { transfer: [new Uint8Array(1)] }), 'a view is not transferable');
                cloneFails(() => structuredClone(1, { transfer: [new SharedArrayBuffer(1)] }), 'SharedArrayBuffer');
                const gone = new ArrayBuffer(1); gone.transfer();
                cloneFails(() => structuredClone(1, { transfer: [gone] }), 'already detached');
                const later = new ArrayBuffer(1);
                cloneFails(() => structuredClone({ get a() { later.transfer(); return 1; } }, { transfer: [later] }), 'detached by a getter');
                typeErrorFrom(() => structuredClone(1, { transfer: [1] }), 'primitive in the list');
                typeErrorFrom(() => structuredClone(1, { transfer: 5 }), 'transfer not iterable');
                typeErrorFrom(() => structuredClone(1, { transfer: null }), 'transfer null');
                typeErrorFrom(() => structuredClone(1, 5), 'options not an object');
                typeErrorFrom(() => structuredClone(), 'no argument');
                """));
    }

    @Test
    void structuredCloneIsAnEnumerableGlobalOperation() {
        assertEquals("ok", check("""
                const d = Object.getOwnPropertyDescriptor(globalThis, 'structuredClone');
                ok(d.enumerable && d.writable && d.configurable, 'property attributes');
                same(structuredClone.name, 'structuredClone', 'name');
                same(structuredClone.length, 1, 'length');
                // Tampering with built-ins after start-up does not break it.
                const input = { m: new Map([[1, 2]]), a: ['x'], x: 1 };
                Map.prototype.set = () => { throw new Error('patched'); };
                Array.prototype.push = () => { throw new Error('patched'); };
                Object.defineProperty(Object.prototype, 'x', { set(v) { throw new Error('patched'); }, configurable: true });
                const c = structuredClone(input);
                delete Object.prototype.x;
                ok(c.m.get(1) === 2 && c.a[0] === 'x', 'patched built-ins');
                """));
    }

    @Test
    void extensionsRegisterSerializableClassesThroughInternal() {
        try (JsHarness js = new JsHarness()) {
            Value internal = js.runtime().internal();
            Value point = js.eval("""
                    (class Point {
                      #x; #y;
                      constructor(x, y) { this.#x = x; this.#y = y; }
                      static is(v) { return typeof v === 'object' && v !== null && #x in v; }
                      get x() { return this.#x; }
                      get y() { return this.#y; }
                    })""");
            Value opaque = js.eval("(class Opaque {})");
            Value steps = js.eval("""
                    (Point) => ({
                      is: Point.is,
                      serialize: (p, inner) => ({ x: p.x, y: inner(p.y) }),
                      deserialize: (d, inner) => new Point(d.x, inner(d.y)),
                    })""").execute(point);
            internal.getMember("registerSerializable").execute(point, steps);
            internal.getMember("markNotCloneable").execute(opaque);
            js.eval("(P, O) => { globalThis.Point = P; globalThis.Opaque = O; }").execute(point, opaque);
            String out = js.run(PRELUDE + """
                    const shared = { n: 1 };
                    const p = new Point(1, shared);
                    const c = structuredClone({ p, again: p, shared });
                    ok(c.p instanceof Point && c.p !== p && c.p === c.again, 'registered class, identity kept');
                    ok(c.p.x === 1 && c.p.y === c.shared && c.shared !== shared, 'inner values go through the same memory');
                    same(Object.getPrototypeOf(structuredClone(Object.create(Point.prototype))), Object.prototype, 'unbranded: ordinary');
                    cloneFails(() => structuredClone(new Opaque()), 'marked not cloneable');
                    console.log(fails.length ? fails.join('\\n') : 'ok');
                    """);
            assertEquals("ok", out);
            // internal.structuredClone is what Streams and fetch use.
            Value copy = internal.getMember("structuredClone").execute(js.eval("({ a: [1, 2] })"));
            assertEquals(2, copy.getMember("a").getArrayElement(1).asInt());
        }
    }
}
