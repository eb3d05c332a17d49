package dev.nano.apps;

import java.util.concurrent.TimeUnit;

/**
 * An app's limits from {@code nano.json} ({@code "limits": {...}}); 0 means "the default".
 *
 * @param maxBodyBytes largest request body accepted ({@code bodyMb}); larger answers 413
 * @param timeoutMs time the handler has to answer ({@code timeoutMs}); later answers 504
 * @param cpuMs CPU time of each request's JS ({@code cpuMs}), summed over its tasks: the dispatch,
 *     and the timers, messages, fetch answers and crypto results it waits for, its waitUntil work
 *     included; the task that passes it is stopped (or, if it came between tasks, the next one is not
 *     run) and the context's requests answered 503. A task that only moves body bytes (a chunk of a
 *     streamed body) or belongs to no request (a WebSocket message, a timer left by a finished
 *     request) has the limit to itself.
 * @param memoryMb bytes each JS task may allocate ({@code memoryMb}); past it, as for cpuMs
 * @param maxConcurrent requests the app may have in progress at once ({@code maxConcurrent}); more
 *     wait up to {@link #QUEUE_WAIT_MS}, then get 503
 * @param consoleKb console output of each JS task ({@code consoleKb}); the rest is cut, with a marker
 * @param idleMs how long a context may stay unused before it is closed ({@code idleMs})
 */
public record AppLimits(long maxBodyBytes, long timeoutMs, long cpuMs, long memoryMb, long maxConcurrent,
                        long consoleKb, long idleMs) {
    public static final AppLimits DEFAULTS = new AppLimits(0, 0, 0, 0, 0, 0, 0);

    /** Workers' default; generous for real handlers, and it bounds how long a spinning app holds a thread. */
    public static final long DEFAULT_CPU_MS = 50;
    /** Workers gives an isolate 128 MB; here it is what one task may allocate, garbage included. */
    public static final long DEFAULT_MEMORY_MB = 128;
    /**
     * Without the optimizing compiler (NANO_JIT=0, the test suite) JS runs 10-20x slower, and a
     * handler's first run through NANO's cold code paths took 100-200 ms here: the default CPU limit
     * is scaled by this much then. An explicit {@code cpuMs} is taken as written.
     */
    public static final int INTERPRETER_SLOWDOWN = 20;
    /**
     * CPU time an app version's tasks may spend past the limit in all, before any is stopped: the
     * first run of a fresh process through NANO's cold code took 150 ms of CPU time here (JIT on).
     */
    public static final long CPU_GRACE_MS = 500;
    /** How long an app that passed its CPU limit stays on the background workers after the last time. */
    public static final long DEMOTION_MS = TimeUnit.MINUTES.toMillis(1);
    /** Module top-level code may take longer than a request, once. */
    public static final long LOAD_CPU_MS = 2000;
    public static final long DEFAULT_MAX_CONCURRENT = 256;
    /** How long a request over {@code maxConcurrent} waits for a slot before it gets 503. */
    public static final long QUEUE_WAIT_MS = 1000;
    public static final long DEFAULT_CONSOLE_KB = 256;
    public static final long DEFAULT_IDLE_MS = TimeUnit.MINUTES.toMillis(1);

    /** The limits that {@code nano.json} had before quotas; the rest default. */
    public AppLimits(long maxBodyBytes, long timeoutMs, long cpuMs, long memoryMb) {
        this(maxBodyBytes, timeoutMs, cpuMs, memoryMb, 0, 0, 0);
    }

    public long maxBodyBytesOr(long serverDefault) {
        return maxBodyBytes > 0 ? Math.min(maxBodyBytes, serverDefault) : serverDefault;
    }

    public long timeoutMsOr(long serverDefault) {
        return timeoutMs > 0 ? timeoutMs : serverDefault;
    }

    /** @param compiled whether the engine compiles JS (else the default is scaled, see {@link #INTERPRETER_SLOWDOWN}) */
    public long cpuNanos(boolean compiled) {
        long ms = cpuMs > 0 ? cpuMs : compiled ? DEFAULT_CPU_MS : DEFAULT_CPU_MS * INTERPRETER_SLOWDOWN;
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    public long loadCpuNanos(boolean compiled) {
        return Math.max(cpuNanos(compiled), TimeUnit.MILLISECONDS.toNanos(LOAD_CPU_MS));
    }

    public long allocatedBytes() {
        return (memoryMb > 0 ? memoryMb : DEFAULT_MEMORY_MB) << 20;
    }

    public int concurrency() {
        return (int) (maxConcurrent > 0 ? maxConcurrent : DEFAULT_MAX_CONCURRENT);
    }

    public int consoleBytes() {
        return (int) Math.min(Integer.MAX_VALUE, (consoleKb > 0 ? consoleKb : DEFAULT_CONSOLE_KB) * 1024);
    }

    public long idleNanos() {
        return TimeUnit.MILLISECONDS.toNanos(idleMs > 0 ? idleMs : DEFAULT_IDLE_MS);
    }
}
