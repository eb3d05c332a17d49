package dev.nano.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.nano.loop.EventLoop;
import dev.nano.loop.Watchdog;
import dev.nano.testing.JsHarness;

/** A context's tasks under the watchdog: runaway JS is stopped; what state the context is left in. */
class JsRuntimeLimitsTest {
    Watchdog watchdog;
    EventLoop loop;
    JsRuntime runtime;
    final List<Watchdog.Overrun> overruns = new ArrayList<>();
    final List<String> uncaught = new ArrayList<>();

    @BeforeEach
    void start() {
        watchdog = new Watchdog();
        loop = new EventLoop();
        loop.watchBy(watchdog);
        runtime = new JsRuntime(JsHarness.engine(), loop, null, ConsoleSink.terminal());
        runtime.onUncaught(uncaught::add);
    }

    @AfterEach
    void stop() {
        runtime.close();
        watchdog.close();
    }

    private void run(String code) {
        loop.execute(() -> runtime.runTask(() -> runtime.evalScript(code, "task.js")));
        loop.runUntilIdle();
    }

    @Test
    void aContextDiscardedAfterAnOverrunIsClosedBeforeWhatWaitsOnItRuns() {
        // AppContext answers the stopped requests from afterClose: a client that retries at once must
        // not find the heap still held by the context (an out-of-memory stop, seen on CI)
        List<String> seen = new ArrayList<>();
        runtime.limit(50_000_000L, Long.MAX_VALUE, null);
        runtime.onOverrun(why -> runtime.discard(() -> {
            try {
                runtime.context().eval("js", "1");
                seen.add("still open");
            } catch (org.graalvm.polyglot.PolyglotException e) {
                seen.add(e.isCancelled() ? "closed" : "failed: " + e.getMessage()); // closed by cancelling
            }
        }));
        run("while (true) {}");
        assertEquals(List.of("closed"), seen);
    }

    @Test
    void anInfiniteLoopIsStoppedAndWithoutAHandlerTheContextStaysUsable() {
        runtime.limit(50_000_000L, Long.MAX_VALUE, null);
        runtime.onOverrun(overruns::add);
        run("globalThis.before = 1; while (true) {}");
        assertEquals(1, overruns.size());
        assertEquals(Watchdog.Overrun.Kind.CPU, overruns.get(0).kind());
        assertTrue(overruns.get(0).used() > 50_000_000L);
        assertTrue(uncaught.isEmpty(), "an interrupt is not the app's exception: " + uncaught);

        // GraalJS leaves an interrupted context usable, its state as the loop left it
        runtime.onOverrun(null);
        assertEquals(1, runtime.context().eval("js", "globalThis.before").asInt());
        run("globalThis.after = 2");
        assertEquals(2, runtime.context().eval("js", "globalThis.after").asInt());
    }

    @Test
    void allocationPastTheBudgetIsStopped() {
        runtime.limit(Long.MAX_VALUE, 8L << 20, null);
        runtime.onOverrun(overruns::add);
        run("const a = []; for (;;) a.push(new Array(1000).fill(1));");
        assertEquals(1, overruns.size());
        assertEquals(Watchdog.Overrun.Kind.MEMORY, overruns.get(0).kind());
    }

    @Test
    void theGraceAbsorbsAnOccasionalSlowTaskThenRunsOut() {
        AtomicLong grace = new AtomicLong(2_000_000_000L);
        runtime.limit(20_000_000L, Long.MAX_VALUE, grace);
        runtime.onOverrun(overruns::add);
        // ~100 ms of work: past the 20 ms limit, within the grace
        run("const end = Date.now() + 100; while (Date.now() < end) {}");
        assertTrue(overruns.isEmpty(), overruns.toString());
        assertTrue(grace.get() < 2_000_000_000L, "the excess was drawn from the grace");
        grace.set(0);
        run("for (;;) {}");
        assertEquals(1, overruns.size());
    }

    @Test
    void shortTasksAreLeftAlone() {
        runtime.limit(20_000_000L, 4L << 20, null); // 20 ms, 4 MB: a preempted short task is not blamed for the wait
        runtime.onOverrun(overruns::add);
        for (int i = 0; i < 20; i++) {
            run("1 + 1");
        }
        assertTrue(overruns.isEmpty(), overruns.toString());
        assertNull(runtime.overrun());
    }
}
