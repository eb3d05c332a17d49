package dev.nano.loop;

/**
 * The CPU time of one request over all its tasks: the handler, and the timers, messages, fetch
 * answers and crypto results it waits for (not the tasks that only move body bytes). The app's CPU
 * limit is per request, as in Workers, so a request that splits its work into short tasks (spinning
 * 40 ms between awaits) is stopped like one that spins in one task. {@link Watchdog.Slot} charges
 * each task it watched here; loop thread only.
 */
public class CpuAccount {
    private long usedNanos;
    private boolean closed;

    /** CPU time charged so far (nanoseconds). */
    public final long usedNanos() {
        return usedNanos;
    }

    final void charge(long nanos) {
        usedNanos += nanos;
    }

    /** The request is over: a timer or interval it left behind runs under the per-task limit alone. */
    public final void close() {
        closed = true;
    }

    public final boolean isClosed() {
        return closed;
    }
}
