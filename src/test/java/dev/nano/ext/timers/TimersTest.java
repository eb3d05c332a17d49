package dev.nano.ext.timers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

class TimersTest {
    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            return js.run(code);
        }
    }

    @Test
    void microtasksRunBeforeTimersAndTimersByDeadlineThenInsertion() {
        String out = run("""
                setTimeout(() => console.log('t100'), 100); // long enough that a slow run cannot reorder it
                setTimeout(() => console.log('t0a'), 0);
                setTimeout(() => console.log('t0b'));
                Promise.resolve().then(() => console.log('p'));
                queueMicrotask(() => console.log('m'));
                console.log('sync');
                """);
        assertEquals("sync\np\nm\nt0a\nt0b\nt100", out);
    }

    @Test
    void schedulerWaitResolvesAfterItsDelayOrRejectsWithTheSignalsReason() {
        // Workers' scheduler.wait: a timer as a promise, cancelled by an AbortSignal
        String out = run("""
                setTimeout(() => console.log('timer 50'), 50);
                scheduler.wait(10).then((v) => console.log('waited 10', v));
                const controller = new AbortController();
                scheduler.wait(20, { signal: controller.signal }).then(() => console.log('not aborted?'), (e) => console.log('aborted', e));
                controller.abort('stop');
                scheduler.wait(5, { signal: AbortSignal.abort('early') }).catch((e) => console.log('already aborted', e));
                scheduler.wait(5, { signal: {} }).catch((e) => console.log(e.name));
                """);
        assertEquals("aborted stop\nalready aborted early\nTypeError\nwaited 10 undefined\ntimer 50", out);
    }

    @Test
    void microtasksQueuedByATimerRunBeforeTheNextTimer() {
        String out = run("""
                setTimeout(() => { console.log('a'); Promise.resolve().then(() => console.log('a-micro')); }, 0);
                setTimeout(() => console.log('b'), 0);
                """);
        assertEquals("a\na-micro\nb", out);
    }

    @Test
    void nestedTimersAndClearingInsideCallbacks() {
        String out = run("""
                let later;
                setTimeout(() => {
                  console.log('outer');
                  setTimeout(() => console.log('inner'), 0);
                  clearTimeout(later);
                }, 0);
                later = setTimeout(() => console.log('cleared, must not print'), 5);
                """);
        assertEquals("outer\ninner", out);
    }

    @Test
    void intervalRepeatsUntilClearedWithExtraArguments() {
        String out = run("""
                let n = 0;
                const id = setInterval((a, b) => {
                  console.log(a + b + (++n));
                  if (n === 3) clearInterval(id);
                }, 1, 'x', 'y');
                """);
        assertEquals("xy1\nxy2\nxy3", out);
    }

    @Test
    void idsArePositiveIntegersAndDistinct() {
        String out = run("""
                const a = setTimeout(() => {}), b = setInterval(() => {}, 1);
                clearInterval(b);
                console.log(Number.isInteger(a) && a > 0, b > a);
                """);
        assertEquals("true true", out);
    }

    @Test
    void anErrorInACallbackIsReportedAndTheLoopGoesOn() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    setTimeout(() => { throw new Error('boom'); }, 0);
                    setTimeout(() => console.log('still running'), 2);
                    """);
            assertEquals("still running", out);
            assertEquals(1, js.uncaught().size());
            assertTrue(js.uncaught().get(0).contains("Error: boom"), js.uncaught().get(0));
        }
    }

    @Test
    void deeplyNestedTimersAreClampedToFourMilliseconds() {
        String out = run("""
                let depth = 0; const t0 = Date.now();
                function again() { if (++depth < 20) setTimeout(again, 0); else console.log(Date.now() - t0 >= 4 * (20 - 5) - 5); }
                setTimeout(again, 0);
                """);
        assertEquals("true", out);
    }
}
