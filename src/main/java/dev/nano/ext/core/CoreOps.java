package dev.nano.ext.core;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsErrors;
import dev.nano.engine.JsRuntime;
import dev.nano.loop.CpuAccount;

/**
 * Ops every other extension builds on: reporting what JS left uncaught, the context's clock, and
 * queuing a task on the context's loop.
 */
public final class CoreOps {
    private final JsRuntime runtime;
    private final long originNanos = System.nanoTime();
    private final double timeOriginMillis = System.currentTimeMillis() + (System.nanoTime() % 1_000_000) / 1e6;

    public CoreOps(JsRuntime runtime) {
        this.runtime = runtime;
    }

    /** An uncaught exception or unhandled rejection, already formatted by JS, that nothing handled. */
    @Export
    public void reportUncaught(String formatted) {
        runtime.uncaught(JsErrors.withHint(formatted));
    }

    /** Milliseconds since this context was created, monotonic, with sub-millisecond precision. */
    @Export
    public double now() {
        return (System.nanoTime() - originNanos) / 1e6;
    }

    /** The wall-clock time (ms since the epoch) at which {@link #now()} was 0. */
    @Export
    public double timeOrigin() {
        return timeOriginMillis;
    }

    /**
     * Queues {@code task} (a JS function) as a task of this context's loop: MessagePort delivery, and
     * work split over several tasks so that one does not hold the worker thread (a response pump).
     */
    @Export
    public void queueTask(Value task, boolean charged) {
        // charged: the request that queues it pays (a message); else limited per task (a body pump)
        CpuAccount account = charged ? runtime.account() : null;
        runtime.loop().execute(() -> runtime.runTask(account, task::executeVoid));
    }
}
