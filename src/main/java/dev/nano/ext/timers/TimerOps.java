package dev.nano.ext.timers;

import java.util.HashMap;
import java.util.Map;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsRuntime;
import dev.nano.loop.CpuAccount;
import dev.nano.loop.EventLoop;

/**
 * Timers of one context on its event loop. JS owns the ids, callbacks and HTML's nesting rules
 * (ext/timers/00_timers.js); Java only keeps the deadlines and calls JS back when one is due.
 */
public final class TimerOps {
    private final JsRuntime runtime;
    private final Map<Integer, EventLoop.Timer> active = new HashMap<>();
    private Value fire;

    public TimerOps(JsRuntime runtime) {
        this.runtime = runtime;
    }

    /** The JS function called with a timer's id when it is due; set once at bootstrap. */
    @Export
    public void setHandler(Value fire) {
        this.fire = fire;
    }

    @Export
    public void start(int id, double delayMillis) {
        start(id, delayMillis, true);
    }

    /**
     * Starts (or restarts) timer {@code id}; an unref'd timer ({@code ref} false) does not keep the
     * loop alive (AbortSignal.timeout, as in Deno).
     */
    @Export
    public void start(int id, double delayMillis, boolean ref) {
        long nanos = (long) (Math.max(0, delayMillis) * 1_000_000L);
        CpuAccount account = runtime.account(); // the request that set it pays for the callback
        EventLoop.Timer timer = runtime.loop().schedule(nanos, ref, () -> {
            active.remove(id);
            runtime.runTask(account, () -> fire.executeVoid(id));
        });
        EventLoop.Timer previous = active.put(id, timer);
        runtime.loop().cancel(previous);
    }

    @Export
    public void clear(int id) {
        runtime.loop().cancel(active.remove(id));
    }

    /** Number of timers not yet fired or cleared (for tests and metrics). */
    public int activeCount() {
        return active.size();
    }
}
