package dev.nano.ext.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** performance: High Resolution Time, the entry buffer, and User Timing Level 3 mark/measure. */
class PerformanceTest {
    private static String run(String code) {
        return run(code, 0);
    }

    /** Runs {@code code}, expecting {@code uncaught} uncaught errors. */
    private static String run(String code, int uncaught) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(code);
            assertEquals(uncaught, js.uncaught().size(), js.uncaught().toString());
            return out;
        }
    }

    @Test
    void nowIsMonotonicSubMillisecondAndRelativeToTimeOrigin() {
        String out = run("""
                const a = performance.now();
                let fractional = false, monotonic = true, prev = a;
                for (let i = 0; i < 2000; i++) {
                  const t = performance.now();
                  if (t < prev) monotonic = false;
                  if (t !== Math.floor(t)) fractional = true;
                  prev = t;
                }
                const start = performance.now(), wall = Date.now();
                while (Date.now() - wall < 30) {}
                const elapsed = performance.now() - start;
                console.log(a > 0, monotonic, fractional, elapsed >= 29 && elapsed < 500);
                console.log(Math.abs(performance.timeOrigin + performance.now() - Date.now()) < 50);
                console.log(JSON.stringify(performance.toJSON()) === JSON.stringify({ timeOrigin: performance.timeOrigin }));
                """);
        assertEquals("true true true true\ntrue\ntrue", out);
    }

    @Test
    void markRecordsTimeAndClonedDetail() {
        String out = run("""
                const detail = { info: 'abc', nested: [1, 2] };
                const before = performance.now();
                const m = performance.mark('m1', { detail });
                const after = performance.now();
                console.log(m.name, m.entryType, m.duration, m.startTime >= before && m.startTime <= after);
                console.log(JSON.stringify(m.detail), m.detail !== detail, m.detail === m.detail);
                detail.info = 'changed';
                console.log(m.detail.info);
                console.log(performance.mark('m2', { startTime: 12.5 }).startTime, performance.mark('m3', null).detail,
                  performance.mark('m4', { detail: null }).detail, performance.mark('m5', {}).detail);
                console.log(JSON.stringify(performance.mark('m6', { startTime: 1, detail: 7 })));
                const made = new PerformanceMark('standalone', { startTime: 3 });
                console.log(made.startTime, made instanceof PerformanceEntry, performance.getEntriesByName('standalone').length);
                """);
        assertEquals("""
                m1 mark 0 true
                {"info":"abc","nested":[1,2]} true true
                abc
                12.5 null null null
                {"name":"m6","entryType":"mark","startTime":1,"duration":0,"detail":7}
                3 true 0""", out);
    }

    @Test
    void markErrors() {
        String out = run("""
                const attempts = [
                  () => performance.mark('x', 123), () => performance.mark('x', 'string'), () => performance.mark('x', NaN),
                  () => performance.mark('x', { startTime: -1 }), () => performance.mark('x', { startTime: NaN }),
                  () => performance.mark('x', { startTime: Infinity }), () => performance.mark(),
                  () => new PerformanceMark('x', { startTime: -0.5 }), () => new PerformanceMark(),
                  () => PerformanceMark('x'), () => performance.mark.call({}, 'x'),
                ];
                for (const f of attempts) {
                  try { f(); console.log('no error'); } catch (e) { console.log(e.constructor.name); }
                }
                try { performance.mark('x', { detail: Symbol('s') }); } catch (e) { console.log(e.name, e instanceof DOMException); }
                try { performance.mark('x', { detail: () => 1 }); } catch (e) { console.log(e.name); }
                console.log(performance.getEntries().length);
                """);
        assertEquals("TypeError\n".repeat(11) + "DataCloneError true\nDataCloneError\n0", out);
    }

    @Test
    void measureSupportsEveryOverload() {
        String out = run("""
                performance.mark('mark1', { startTime: 784.4 });
                performance.mark('mark2', { startTime: 1234.5 });
                const show = (m) => `${m.name}:${m.startTime}:${+(m.duration).toFixed(3)}:${JSON.stringify(m.detail)}`;
                const now = performance.now();
                const all = [
                  performance.measure('m1'), performance.measure('m2', undefined), performance.measure('m3', null),
                  performance.measure('m4', 'mark1'), performance.measure('m5', null, 'mark1'),
                  performance.measure('m6', 'mark1', 'mark2'), performance.measure('m7', {}), performance.measure('m8', { start: 'mark1', end: 'mark2' }),
                  performance.measure('m9', { start: 66.6 }), performance.measure('m10', { end: 'mark1' }),
                  performance.measure('m11', { start: 66.6, end: 'mark1', detail: { custom: 1 } }),
                  performance.measure('m12', { start: 784.4, duration: 100 }), performance.measure('m13', { duration: 100, end: 1234.5 }),
                  performance.measure('m14', {}, 'mark1'), performance.measure('m15', { unknown: 1 }, 'mark2'),
                  performance.measure('m16', undefined, 'mark2'), performance.measure('m17', 'mark2', 'mark1'),
                ];
                // Measures without an end end now: check those apart (the time moves on).
                const endsNow = (m) => m.startTime + m.duration >= now;
                console.log(all[0].startTime, endsNow(all[0]), all[1].startTime, endsNow(all[1]), all[2].startTime, endsNow(all[2]),
                  all[3].startTime, endsNow(all[3]), all[6].startTime, endsNow(all[6]), all[8].startTime, endsNow(all[8]));
                for (const m of [all[4], all[5], all[7], all[9], all[10], all[11], all[12], all[13], all[14], all[15], all[16]]) console.log(show(m));
                console.log(all.every((m) => m instanceof PerformanceMeasure && m.entryType === 'measure'));
                console.log(performance.getEntriesByType('measure').length);
                """);
        assertEquals("""
                0 true 0 true 0 true 784.4 true 0 true 66.6 true
                m5:0:784.4:null
                m6:784.4:450.1:null
                m8:784.4:450.1:null
                m10:0:784.4:null
                m11:66.6:717.8:{"custom":1}
                m12:784.4:100:null
                m13:1134.5:100:null
                m14:0:784.4:null
                m15:0:1234.5:null
                m16:0:1234.5:null
                m17:1234.5:-450.1:null
                true
                17""", out);
    }

    @Test
    void measureErrors() {
        String out = run("""
                performance.mark('exists', { startTime: 5 });
                const attempts = [
                  () => performance.measure('a', 'missing'), () => performance.measure('a', 'exists', 'missing'),
                  () => performance.measure('a', 'missing', 'exists'), () => performance.measure('a', { start: 'missing' }),
                  () => performance.measure('a', { end: 'missing' }), () => performance.measure('a', 42),
                ];
                for (const f of attempts) {
                  try { f(); console.log('no error'); } catch (e) { console.log(e.name, e instanceof DOMException, e.code); }
                }
                const typeErrors = [
                  () => performance.measure('a', { start: 2 }, 12), () => performance.measure('a', { start: 2 }, 'exists'),
                  () => performance.measure('a', { start: -1 }), () => performance.measure('a', { end: -1 }),
                  () => performance.measure('a', { detail: 1 }), () => performance.measure('a', { duration: 5 }),
                  () => performance.measure('a', { start: 1, duration: 1, end: 2 }), () => performance.measure('a', { start: NaN }),
                  () => performance.measure('a', { start: 10, duration: -1 }), () => performance.measure(),
                  () => performance.measure.call(undefined, 'a'),
                ];
                for (const f of typeErrors) {
                  try { f(); console.log('no error'); } catch (e) { console.log(e.constructor.name); }
                }
                try { performance.measure('a', { start: 0, detail: Symbol() }); } catch (e) { console.log(e.name); }
                console.log(performance.getEntriesByType('measure').length);
                """);
        assertEquals("SyntaxError true 12\n".repeat(6) + "TypeError\n".repeat(11) + "DataCloneError\n0", out);
    }

    @Test
    void entryBufferIsFilteredSortedAndCleared() {
        String out = run("""
                const names = (list) => list.map((e) => `${e.entryType}:${e.name}`).join(' ');
                performance.mark('b', { startTime: 20 });
                performance.mark('a', { startTime: 10 });
                performance.mark('b', { startTime: 5 });
                performance.measure('b', { start: 15, end: 30 });
                performance.measure('c', 'a');
                console.log(names(performance.getEntries()));
                console.log(names(performance.getEntriesByType('mark')), '|', names(performance.getEntriesByType('Mark')));
                console.log(names(performance.getEntriesByName('b')), '|', names(performance.getEntriesByName('b', 'measure')));
                console.log(performance.getEntries() !== performance.getEntries(), Array.isArray(performance.getEntries()));
                // A measure from a mark name uses the latest mark of that name.
                console.log(performance.measure('d', 'b').startTime);
                performance.clearMarks('b');
                console.log(names(performance.getEntries()));
                performance.clearMeasures('c');
                console.log(names(performance.getEntries()));
                performance.clearMarks();
                performance.clearMeasures();
                console.log(performance.getEntries().length);
                """);
        assertEquals("""
                mark:b mark:a measure:c measure:b mark:b
                mark:b mark:a mark:b |\s
                mark:b measure:b mark:b | measure:b
                true true
                5
                measure:d mark:a measure:c measure:b
                measure:d mark:a measure:b
                0""", out);
    }

    @Test
    void interfacesAndTheGlobalAttribute() {
        String out = run("""
                const desc = Object.getOwnPropertyDescriptor(globalThis, 'performance');
                console.log(typeof desc.get, typeof desc.set, desc.enumerable, desc.configurable, desc.get.name);
                console.log(Object.prototype.toString.call(performance), performance instanceof Performance);
                console.log(typeof EventTarget !== 'function' || performance instanceof EventTarget);
                for (const C of [Performance, PerformanceEntry, PerformanceMeasure]) {
                  try { new C(); console.log('no error'); } catch (e) { console.log(e.constructor.name); }
                }
                const mark = performance.mark('x');
                console.log(Object.prototype.toString.call(mark), Object.keys(PerformanceEntry.prototype).join());
                try { Object.getOwnPropertyDescriptor(PerformanceMark.prototype, 'detail').get.call(performance.measure('y')); } catch (e) { console.log(e.constructor.name); }
                try { Object.getOwnPropertyDescriptor(Performance.prototype, 'timeOrigin').get.call({}); } catch (e) { console.log(e.constructor.name); }
                try { Performance.prototype.now.call(mark); } catch (e) { console.log(e.constructor.name); }
                // [Replaceable]: assigning replaces the accessor with a plain value.
                globalThis.performance = 42;
                console.log(performance, Object.getOwnPropertyDescriptor(globalThis, 'performance').writable);
                """);
        assertEquals("""
                function function true true get performance
                [object Performance] true
                true
                TypeError
                TypeError
                TypeError
                [object PerformanceMark] name,entryType,startTime,duration,toJSON
                TypeError
                TypeError
                TypeError
                42 true""", out);
    }

    @Test
    void observersGetNewEntriesInATaskAndBufferedOnesOnRequest() {
        String out = run("""
                performance.mark('early');
                const calls = [];
                const all = new PerformanceObserver(function (list, observer, options) {
                  calls.push(`all:${list.getEntries().map((e) => e.name).join()}:${this === observer}:${JSON.stringify(options)}`);
                });
                all.observe({ entryTypes: ['mark', 'measure', 'resource'] });
                const marksOnly = new PerformanceObserver((list) => calls.push(`marks:${list.getEntriesByType('mark').map((e) => e.name).join()}`));
                marksOnly.observe({ type: 'mark', buffered: true });
                performance.mark('m1');
                performance.measure('me1', 'm1');
                console.log('sync', calls.length);
                setTimeout(() => {
                  console.log(calls.join('\\n'));
                  calls.length = 0;
                  const taken = new PerformanceObserver(() => calls.push('never'));
                  taken.observe({ type: 'measure' });
                  performance.measure('me2');
                  console.log('taken', taken.takeRecords().map((e) => e.name).join(), taken.takeRecords().length);
                  all.disconnect();
                  performance.mark('m2');
                  setTimeout(() => console.log(calls.join('\\n')), 5);
                }, 5);
                """);
        assertEquals("""
                sync 0
                all:m1,me1:true:{"droppedEntriesCount":0}
                marks:early,m1
                taken me2 0
                marks:m2""", out);
    }

    @Test
    void observerErrors() {
        String out = run("""
                const attempts = [
                  () => new PerformanceObserver(), () => new PerformanceObserver(1), () => PerformanceObserver(() => {}),
                  () => new PerformanceObserver(() => {}).observe(), () => new PerformanceObserver(() => {}).observe({}),
                  () => new PerformanceObserver(() => {}).observe({ entryTypes: ['mark'], type: 'mark' }),
                  () => new PerformanceObserver(() => {}).observe({ entryTypes: ['mark'], buffered: false }),
                  () => new PerformanceObserver(() => {}).observe({ entryTypes: 'mark' }),
                  () => new PerformanceObserverEntryList(),
                ];
                for (const f of attempts) {
                  try { f(); console.log('no error'); } catch (e) { console.log(e.constructor.name); }
                }
                const o = new PerformanceObserver(() => {});
                o.observe({ type: 'mark' });
                try { o.observe({ entryTypes: ['mark'] }); } catch (e) { console.log(e.name); }
                console.log(JSON.stringify(PerformanceObserver.supportedEntryTypes), Object.isFrozen(PerformanceObserver.supportedEntryTypes),
                  PerformanceObserver.supportedEntryTypes === PerformanceObserver.supportedEntryTypes);
                // An observer that throws is reported; the others still get their entries.
                new PerformanceObserver(() => { throw new Error('observer failed'); }).observe({ type: 'mark' });
                new PerformanceObserver((list) => console.log('second got', list.getEntries().length)).observe({ type: 'mark' });
                performance.mark('x');
                """, 1);
        assertEquals("TypeError\n".repeat(9) + "InvalidModificationError\n[\"mark\",\"measure\"] true true\nsecond got 1", out);
    }

    // The interfaces are built on first use (ARCHITECTURE.md "Keeping a context small"): until
    // then the globals are accessors, afterwards the data properties WebIDL specifies.
    @Test
    void interfacesAreInstalledOnFirstUse() {
        String out = run("""
                const kind = (name) => { const d = Object.getOwnPropertyDescriptor(globalThis, name);
                  return 'value' in d ? `data:${d.writable}:${d.enumerable}:${d.configurable}` : `accessor:${d.enumerable}:${d.configurable}`; };
                console.log(kind('PerformanceMark'), kind('Navigator'), Object.keys(globalThis).includes('PerformanceMark'));
                // An app may replace a global before it was ever built (it stays non-enumerable, as an assignment would leave it).
                globalThis.PerformanceObserver = 'mine';
                const M = PerformanceMark;
                console.log(kind('PerformanceMark'), kind('PerformanceEntry'), kind('Performance'), M === PerformanceMark);
                console.log(PerformanceObserver, kind('PerformanceObserver'), performance.mark('a') instanceof M);
                console.log(navigator instanceof Navigator, kind('Navigator'), kind('navigator'));
                """);
        assertEquals("""
                accessor:false:true accessor:false:true false
                data:true:false:true data:true:false:true data:true:false:true true
                mine data:true:false:true true
                true data:true:false:true accessor:true:true""", out);
    }

    @Test
    void eachContextHasItsOwnTimeline() {
        try (JsHarness a = new JsHarness(); JsHarness b = new JsHarness()) {
            a.run("performance.mark('only-in-a');");
            assertEquals("0", b.run("console.log(performance.getEntriesByName('only-in-a').length);"));
        }
    }
}
