package dev.nano.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import dev.nano.apps.AppRegistry;
import dev.nano.apps.AppStats;
import dev.nano.apps.ContextPool;

/**
 * Prometheus metrics for the admin port's {@code /metrics}. Per-app counters are read at scrape
 * time from {@link AppStats} (one source of truth with the admin API); request latency is observed
 * here. JVM metrics (heap, GC, threads, ...) come from the client library's JVM instrumentation.
 */
final class ServerMetrics implements RequestObserver {
    /** The app label of requests no app took (404, malformed). */
    static final String NO_APP = "-";

    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final AppStats unrouted = new AppStats();
    private final Histogram latency;
    private final ConcurrentHashMap<String, DistributionDataPoint> latencyByApp = new ConcurrentHashMap<>();

    ServerMetrics(AppRegistry apps, IntSupplier connections) {
        latency = Histogram.builder()
                .name("nano_http_request_duration_seconds")
                .help("Time from a request being decoded to its response being written")
                .labelNames("app")
                .classicOnly()
                .withoutExemplars()
                .register(prometheus);
        CounterWithCallback.builder()
                .name("nano_http_requests_total")
                .help("Responses sent, by app and status class")
                .labelNames("app", "status_class")
                .callback(cb -> {
                    forEachStats(apps, (name, stats) -> {
                        for (int c = 1; c <= 5; c++) {
                            cb.call(stats.responses(c), name, c + "xx");
                        }
                    });
                })
                .register(prometheus);
        CounterWithCallback.builder()
                .name("nano_app_errors_total")
                .help("App errors by kind: load, exception, response, uncaught, timeout, cpu_limit, memory_limit, concurrency_limit")
                .labelNames("app", "kind")
                .callback(cb -> forEachStats(apps, (name, stats) ->
                        stats.errors().forEach((kind, n) -> cb.call(n, name, kind))))
                .register(prometheus);
        CounterWithCallback.builder()
                .name("nano_app_cpu_seconds_total")
                .help("Time the worker threads spent running each app's request dispatch (wall clock on the thread, synchronous part)")
                .labelNames("app")
                .callback(cb -> forEachStats(apps, (name, stats) -> cb.call(stats.cpuMillis() / 1000, name)))
                .register(prometheus);
        GaugeWithCallback.builder()
                .name("nano_app_contexts")
                .help("Live JS contexts per app (at most one per worker thread)")
                .labelNames("app")
                .callback(cb -> apps.apps().forEach(a -> cb.call(a.contextCount(), a.name())))
                .register(prometheus);
        CounterWithCallback.builder()
                .name("nano_app_context_evictions_total")
                .help("JS contexts closed while their app went on, by reason: idle (unused for limits.idleMs), heap_pressure")
                .labelNames("app", "reason")
                .callback(cb -> forEachStats(apps, (name, stats) ->
                        stats.evictions().forEach((reason, n) -> cb.call(n, name, reason))))
                .register(prometheus);
        GaugeWithCallback.builder()
                .name("nano_app_demoted")
                .help("1 when the app passed its CPU limit and runs on the background workers, off the I/O threads")
                .labelNames("app")
                .callback(cb -> apps.apps().forEach(a -> cb.call(a.demoted() ? 1 : 0, a.name())))
                .register(prometheus);
        GaugeWithCallback.builder()
                .name("nano_app_requests_in_flight")
                .help("Requests being handled per app, waitUntil work included")
                .labelNames("app")
                .callback(cb -> apps.apps().forEach(a -> cb.call(a.inFlight(), a.name())))
                .register(prometheus);
        GaugeWithCallback.builder()
                .name("nano_http_connections")
                .help("Open client connections")
                .callback(cb -> cb.call(connections.getAsInt()))
                .register(prometheus);
        ContextPool spares = apps.services().spares();
        if (spares != null) {
            GaugeWithCallback.builder()
                    .name("nano_context_pool_ready")
                    .help("Spare JS contexts bootstrapped ahead of need, no app bound yet")
                    .callback(cb -> cb.call(spares.ready()))
                    .register(prometheus);
            CounterWithCallback.builder()
                    .name("nano_context_pool_taken_total")
                    .help("New app contexts that started from a spare context")
                    .callback(cb -> cb.call(spares.taken()))
                    .register(prometheus);
            CounterWithCallback.builder()
                    .name("nano_context_pool_missed_total")
                    .help("New app contexts built on the request's path because no spare was ready")
                    .callback(cb -> cb.call(spares.missed()))
                    .register(prometheus);
        }
        JvmMetrics.builder().register(prometheus);
    }

    private void forEachStats(AppRegistry apps, BiConsumer<String, AppStats> action) {
        for (Map.Entry<String, AppStats> e : apps.stats().entrySet()) {
            action.accept(e.getKey(), e.getValue());
        }
        action.accept(NO_APP, unrouted);
    }

    @Override
    public void completed(String app, String method, String host, String path, int status, long nanos, long bytes) {
        if (app == null) {
            unrouted.response(status);
        }
        String label = app == null ? NO_APP : app;
        DistributionDataPoint point = latencyByApp.get(label); // labelValues() allocates its key: cache
        if (point == null) {
            point = latencyByApp.computeIfAbsent(label, latency::labelValues);
        }
        point.observe(nanos / 1e9);
    }

    /** The metrics in Prometheus text format 0.0.4. */
    byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, prometheus.scrape());
        return out.toByteArray();
    }

    String contentType() {
        return writer.getContentType();
    }
}
