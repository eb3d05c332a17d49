package dev.nano.apps;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one app name, kept across its versions (a reload does not reset them), read by the
 * admin API and the metrics endpoint.
 */
public final class AppStats {
    /** Error kinds, as in the {@code error} log lines. */
    public static final String LOAD = "load", EXCEPTION = "exception", RESPONSE = "response",
            UNCAUGHT = "uncaught", TIMEOUT = "timeout", CPU_LIMIT = "cpu_limit", MEMORY_LIMIT = "memory_limit",
            CONCURRENCY = "concurrency_limit";
    /** Why a context was closed while its app went on: unused for limits.idleMs, or the heap was short. */
    public static final String EVICTED_IDLE = "idle", EVICTED_HEAP = "heap_pressure";

    private final LongAdder[] byClass = new LongAdder[6]; // index = status / 100 (1xx..5xx)
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder cpuNanos = new LongAdder();
    private final Map<String, LongAdder> evictions = new ConcurrentHashMap<>();

    public AppStats() {
        for (int i = 0; i < byClass.length; i++) {
            byClass[i] = new LongAdder();
        }
    }

    public void response(int status) {
        byClass[Math.max(1, Math.min(5, status / 100))].increment();
    }

    public void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public void evicted(String reason) {
        evictions.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    /** Contexts evicted, by reason. */
    public Map<String, Long> evictions() {
        Map<String, Long> out = new java.util.TreeMap<>();
        evictions.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void cpu(long nanos) {
        cpuNanos.add(nanos);
    }

    /** Responses with a status in {@code statusClass}xx (1..5). */
    public long responses(int statusClass) {
        return byClass[statusClass].sum();
    }

    public long requests() {
        long n = 0;
        for (int i = 1; i <= 5; i++) {
            n += byClass[i].sum();
        }
        return n;
    }

    public Map<String, Long> errors() {
        Map<String, Long> out = new java.util.TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public double cpuMillis() {
        return cpuNanos.sum() / 1e6;
    }
}
