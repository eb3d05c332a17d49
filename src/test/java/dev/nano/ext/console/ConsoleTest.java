package dev.nano.ext.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nano.engine.JsRuntime;
import dev.nano.loop.EventLoop;
import dev.nano.testing.JsHarness;

/** The console namespace (Console Standard): formatting, routing, counting, grouping, timing, tables. */
class ConsoleTest {
    private record Output(String stdout, List<String> stderr) {}

    private static Output run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(code);
            assertEquals("[]", js.uncaught().toString());
            return new Output(out, List.copyOf(js.stderr()));
        }
    }

    private static String stdout(String code) {
        return run(code).stdout();
    }

    @Test
    void formatSpecifiers() {
        // Expected lines are what Deno prints for the same calls.
        String out = stdout("""
                console.log('%s is %d years', 'Bob', 42);
                console.log('%s', [1, 2, [3]]);
                console.log('%s %s %s %s', 1n, Symbol('x'), null, undefined);
                console.log('%d %d %d %d %d %d', '42', '42px', 1.5, 1n, {}, Symbol('s'));
                console.log('%i %i %i', 1.9, '7.5', -0);
                console.log('%f %f %f', '1.5x', 2, Symbol());
                console.log('%o and %O', { a: [1, { b: 2 }] }, { a: 1 });
                console.log('%j %j', { a: 1 }, (() => { const c = {}; c.c = c; return c; })());
                console.log('%c styled %c', 'color: red', 'x', 'rest');
                console.log('100%% sure', 1);
                console.log('100%%');
                console.log('%x %s', 1);
                console.log('%s:%s', 'a');
                console.log('trailing %', 5);
                console.log('%s', -0, 'x', -0);
                console.log('a', 'b', 1, { c: 2 });
                console.log(1, 'two', '3');
                console.log();
                console.log('%s', () => 1, class Q {});
                console.log('%s', Object.create(null));
                """);
        assertEquals(String.join("\n",
                "Bob is 42 years",
                "1,2,3",
                "1 Symbol(x) null undefined",
                "42 42 1 1 NaN NaN",
                "1 7 0",
                "1.5 2 NaN",
                "{ a: [ 1, { b: 2 } ] } and { a: 1 }",
                "{\"a\":1} [Circular]",
                " styled  rest",
                "100% sure 1",
                "100%%",
                "%x 1",
                "a:%s",
                "trailing % 5",
                "0 x -0",
                "a b 1 { c: 2 }",
                "1 two 3",
                "",
                "() => 1 [class Q]",
                "[Object: null prototype] {}"), out);
    }

    @Test
    void logInfoDebugGoToStdoutWarnErrorTraceAssertToStderr() {
        Output out = run("""
                console.log('log'); console.info('info'); console.debug('debug'); console.dirxml('dirxml');
                console.dir({ d: 1 });
                console.warn('warn'); console.error('error', 1); console.assert(false, 'assert');
                console.trace('trace');
                """);
        assertEquals("log\ninfo\ndebug\ndirxml\n{ d: 1 }", out.stdout());
        assertEquals(4, out.stderr().size(), out.stderr().toString());
        assertEquals("warn", out.stderr().get(0));
        assertEquals("error 1", out.stderr().get(1));
        assertEquals("Assertion failed: assert", out.stderr().get(2));
        assertTrue(out.stderr().get(3).startsWith("Trace: trace\n    at "), out.stderr().get(3));
        assertEquals("Count for 'x' does not exist", run("console.countReset('x')").stderr().get(0));
    }

    @Test
    void eachMethodWritesAtItsLevel() {
        List<String> seen = new ArrayList<>();
        try (JsRuntime runtime = new JsRuntime(JsHarness.engine(), new EventLoop(), null,
                (level, text) -> seen.add(level + " " + text.lines().findFirst().orElse("")))) {
            runtime.context().eval("js", """
                    console.debug('d'); console.log('l'); console.info('i'); console.dirxml('x'); console.dir('s');
                    console.count(); console.time(); console.timeLog(); console.group('g'); console.groupEnd();
                    console.table([]);
                    console.warn('w'); console.countReset('none');
                    console.error('e'); console.trace('t'); console.assert(false, 'a');
                    """);
        }
        assertEquals(List.of("DEBUG d", "INFO l", "INFO i", "INFO x", "INFO s", "INFO default: 1"), seen.subList(0, 6));
        assertTrue(seen.get(6).startsWith("INFO default: "), seen.toString());
        assertEquals(List.of("INFO g", "INFO ┌─────────┐", "WARN w", "WARN Count for 'none' does not exist",
                "ERROR e", "ERROR Trace: t", "ERROR Assertion failed: a"), seen.subList(7, seen.size()));
    }

    @Test
    void assertFormats() {
        Output out = run("""
                console.assert(true, 'no');
                console.assert(1, 'no');
                console.assert(false);
                console.assert();
                console.assert(false, 'msg %s', 'sub');
                console.assert(false, { a: 1 }, 'more');
                console.assert(0, 42);
                console.assert('', 'empty string is false');
                """);
        assertEquals("", out.stdout());
        assertEquals(List.of("Assertion failed", "Assertion failed", "Assertion failed: msg sub",
                "Assertion failed: { a: 1 } more", "Assertion failed: 42", "Assertion failed: empty string is false"),
                out.stderr());
    }

    @Test
    void traceShowsTheCallerNotNanoFrames() {
        Output out = run("""
                function inner() { console.trace(); }
                inner();
                """);
        String trace = out.stderr().get(0);
        assertTrue(trace.matches("Trace\n    at inner \\([^\n]*main\\.js:1:28\\)\n    at [^\n]*main\\.js:2:1"), trace);
        assertTrue(!trace.contains("nano:ext"), trace);
    }

    @Test
    void groupsIndentEveryLineOnBothStreams() {
        Output out = run("""
                console.group('G1');
                console.log('in g1');
                console.log({ a: 1, b: { c: [1, 2, 3] }, ddddddddddddddddddddddd: 'e'.repeat(49) });
                console.group();
                console.info('in g2\\nsecond line');
                console.groupEnd();
                console.groupCollapsed('GC', 42);
                console.warn('warn in gc');
                console.groupEnd();
                console.groupEnd();
                console.groupEnd();
                console.log('out');
                """);
        assertEquals("""
                G1
                  in g1
                  {
                    a: 1,
                    b: { c: [ 1, 2, 3 ] },
                    ddddddddddddddddddddddd: 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'
                  }
                    in g2
                    second line
                  GC 42
                out""", out.stdout());
        assertEquals(List.of("    warn in gc"), out.stderr());
    }

    @Test
    void clearEmptiesTheGroupStack() {
        assertEquals("a\n  b\nc", stdout("console.log('a'); console.group(); console.log('b'); console.clear(); console.log('c');"));
    }

    @Test
    void countAndCountReset() {
        Output out = run("""
                console.count(); console.count(); console.count('x'); console.countReset(); console.count();
                console.count(undefined); console.count(1); console.count('1');
                console.countReset('nope');
                """);
        assertEquals("default: 1\ndefault: 2\nx: 1\ndefault: 1\ndefault: 2\n1: 1\n1: 2", out.stdout());
        assertEquals(List.of("Count for 'nope' does not exist"), out.stderr());
    }

    @Test
    void labelsAreConvertedWithToStringAndConversionErrorsAreRethrown() {
        String out = stdout("""
                for (const method of ['count', 'countReset', 'time', 'timeLog', 'timeEnd']) {
                  let called = false;
                  console[method]({ toString() { called = true; return 'obj'; } });
                  let rethrown = false;
                  try { console[method]({ toString() { throw new Error('conversion error'); } }); }
                  catch (e) { rethrown = e.message === 'conversion error'; }
                  console.log('>', method, called, rethrown);
                }
                try { console.count(Symbol()); } catch (e) { console.log('>', e instanceof TypeError); }
                """);
        assertEquals(List.of("> count true true", "> countReset true true", "> time true true", "> timeLog true true",
                "> timeEnd true true", "> true"), out.lines().filter(l -> l.startsWith(">")).toList());
        assertTrue(out.startsWith("obj: 1\n"), out);
    }

    @Test
    void timers() {
        Output out = run("""
                console.time('t'); console.time('t');
                console.timeLog('t', 'extra', { a: 1 });
                const t0 = performance.now(); while (performance.now() - t0 < 20);
                console.timeEnd('t'); console.timeEnd('t'); console.timeLog('nope');
                console.time(); console.timeEnd();
                """);
        String[] lines = out.stdout().split("\n");
        assertEquals(3, lines.length, out.stdout());
        assertTrue(lines[0].matches("t: \\d+(\\.\\d{1,3})?ms extra \\{ a: 1 }"), lines[0]);
        assertTrue(lines[1].matches("t: \\d+(\\.\\d{1,3})?ms"), lines[1]);
        double ms = Double.parseDouble(lines[1].substring(3, lines[1].length() - 2));
        assertTrue(ms >= 20 && ms < 5000, lines[1]);
        assertTrue(lines[2].matches("default: \\d+(\\.\\d{1,3})?ms"), lines[2]);
        assertEquals(List.of("Timer 't' already exists", "Timer 't' does not exist", "Timer 'nope' does not exist"),
                out.stderr());
    }

    @Test
    void longTimesUseSecondsMinutesAndHours() {
        try (JsHarness js = new JsHarness()) {
            // console.time reads the context clock (internal.hostNow): drive it by hand.
            js.runtime().internal().putMember("hostNow", js.eval("() => globalThis.fakeNow"));
            js.run("""
                    globalThis.fakeNow = 0;
                    console.time('ms'); console.time('s'); console.time('m'); console.time('h');
                    fakeNow = 12.3456; console.timeEnd('ms');
                    fakeNow = 1500; console.timeEnd('s');
                    fakeNow = 62345; console.timeEnd('m');
                    fakeNow = 3723004; console.timeEnd('h');
                    """);
            assertEquals(List.of("ms: 12.346ms", "s: 1.500s", "m: 1:02.345 (m:ss.mmm)", "h: 1:02:03.004 (h:mm:ss.mmm)"),
                    js.stdout());
        }
    }

    @Test
    void dirPrintsStringsRawAndHonoursOptions() {
        assertEquals("str\n{\n  a: {\n    b: { c: { d: { e: {} } } }\n  }\n}\n{ a: [Object] }", stdout("""
                console.dir('str');
                console.dir({ a: { b: { c: { d: { e: {} } } } } });
                console.dir({ a: { b: { c: { d: { e: {} } } } } }, { depth: 0 });
                """));
    }

    @Test
    void tableOfObjects() {
        assertEquals("""
                ┌─────────┬─────┬─────┐
                │ (index) │ a   │ b   │
                ├─────────┼─────┼─────┤
                │ 0       │ 1   │ 'Y' │
                │ 1       │ 'Z' │ 2   │
                └─────────┴─────┴─────┘
                ┌─────────┬─────┐
                │ (index) │ a   │
                ├─────────┼─────┤
                │ 0       │ 1   │
                │ 1       │ 'Z' │
                └─────────┴─────┘
                ┌─────────┬────┬──────────┐
                │ (index) │ c1 │ c2       │
                ├─────────┼────┼──────────┤
                │ r1      │ 1  │          │
                │ r2      │    │ [ 1, 2 ] │
                └─────────┴────┴──────────┘""", stdout("""
                console.table([{ a: 1, b: 'Y' }, { a: 'Z', b: 2 }]);
                console.table([{ a: 1, b: 'Y' }, { a: 'Z', c: 2 }], ['a']);
                console.table({ r1: { c1: 1 }, r2: { c2: [1, 2] } });
                """));
    }

    @Test
    void tableOfPrimitivesArraysMapsAndSets() {
        // As Node 20 prints them.
        assertEquals("""
                ┌─────────┬───┬────────┐
                │ (index) │ a │ Values │
                ├─────────┼───┼────────┤
                │ 0       │   │ 1      │
                │ 1       │   │ 'two'  │
                │ 2       │ 3 │        │
                └─────────┴───┴────────┘
                ┌─────────┬───┬───┬───┐
                │ (index) │ 0 │ 1 │ 2 │
                ├─────────┼───┼───┼───┤
                │ 0       │ 1 │ 2 │   │
                │ 1       │ 3 │ 4 │ 5 │
                └─────────┴───┴───┴───┘
                ┌───────────────────┬──────┬──────────┐
                │ (iteration index) │ Key  │ Values   │
                ├───────────────────┼──────┼──────────┤
                │ 0                 │ 'k'  │ { v: 1 } │
                │ 1                 │ 'k2' │ 2        │
                └───────────────────┴──────┴──────────┘
                ┌───────────────────┬──────────┐
                │ (iteration index) │ Values   │
                ├───────────────────┼──────────┤
                │ 0                 │ 1        │
                │ 1                 │ { a: 2 } │
                └───────────────────┴──────────┘
                not tabular
                5
                ┌─────────┐
                │ (index) │
                ├─────────┤
                └─────────┘""", stdout("""
                console.table([1, 'two', { a: 3 }]);
                console.table([[1, 2], [3, 4, 5]]);
                console.table(new Map([['k', { v: 1 }], ['k2', 2]]));
                console.table(new Set([1, { a: 2 }]));
                console.table('not tabular');
                console.table(5);
                console.table([]);
                """));
    }

    @Test
    void tableCellsUseShallowInspectionAndWideCharacters() {
        assertEquals("""
                ┌─────────┬──────────┬──────┬───────────┐
                │ (index) │ ünïcödé  │ x    │ y         │
                ├─────────┼──────────┼──────┼───────────┤
                │ 0       │ '日本語' │      │           │
                │ 1       │          │ null │ undefined │
                └─────────┴──────────┴──────┴───────────┘
                  ┌─────────┬────────────────────┬────────────────┐
                  │ (index) │ a                  │ b              │
                  ├─────────┼────────────────────┼────────────────┤
                  │ 0       │ { deep: [Object] } │ [ 1, [Array] ] │
                  └─────────┴────────────────────┴────────────────┘""", stdout("""
                console.table([{ 'ünïcödé': '日本語' }, { x: null, y: undefined }]);
                console.group();
                console.table([{ a: { deep: { x: 1 } }, b: [1, [2, 3]] }]);
                """));
    }

    @Test
    void namespaceObjectShape() {
        assertEquals(String.join("\n",
                "true false true true",
                "false",
                "0 true",
                "console false false true [object console]",
                "undefined undefined undefined",
                "assert,clear,debug,error,info,log,table,trace,warn,dir,dirxml,count,countReset,group,"
                        + "groupCollapsed,groupEnd,time,timeLog,timeEnd",
                "ok",
                "detached ok"), stdout("""
                const d = Object.getOwnPropertyDescriptor(globalThis, 'console');
                console.log(d.writable, d.enumerable, d.configurable, d.value === console);
                console.log('Console' in globalThis);
                const p1 = Object.getPrototypeOf(console);
                console.log(Object.getOwnPropertyNames(p1).length, Object.getPrototypeOf(p1) === Object.prototype);
                const t = Object.getOwnPropertyDescriptor(console, Symbol.toStringTag);
                console.log(t.value, t.writable, t.enumerable, t.configurable, Object.prototype.toString.call(console));
                console.log(console.timeline, console.timelineEnd, console.markTimeline);
                console.log(Object.keys(console).join());
                const bad = Object.keys(console).filter((k) => {
                  const p = Object.getOwnPropertyDescriptor(console, k);
                  return !p.writable || !p.configurable || p.value.length !== 0 || p.value.name !== k || 'prototype' in p.value;
                });
                console.log(bad.length === 0 ? 'ok' : bad.join());
                const { log } = console; log('detached ok');
                """));
    }

    @Test
    void symbolsLogWithoutThrowing() {
        assertEquals("Symbol()\nSymbol(abc)\nSymbol(def)\nSymbol(Symbol.isConcatSpreadable)", stdout("""
                console.log(Symbol());
                console.log(Symbol('abc'));
                console.log(Symbol.for('def'));
                console.log(Symbol.isConcatSpreadable);
                """));
    }

    @Test
    void patchedBuiltinsDoNotChangeOutput() {
        assertEquals("Map(1) { 'a' => [ 1, 2 ] } x y %", stdout("""
                Map.prototype.entries = () => { throw new Error('patched'); };
                Array.prototype.push = () => { throw new Error('patched'); };
                Array.prototype.join = () => 'patched';
                String.prototype.slice = () => 'patched';
                String.prototype.indexOf = () => -1;
                Object.keys = () => [];
                console.log(new Map([['a', [1, 2]]]), 'x', 'y', '%');
                """));
    }
}
