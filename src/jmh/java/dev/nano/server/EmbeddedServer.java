package dev.nano.server;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;

import dev.nano.apps.AdminConfig;
import dev.nano.apps.AppConfig;
import dev.nano.apps.AppRegistry;
import dev.nano.apps.AppServices;
import dev.nano.apps.EventLog;
import dev.nano.apps.ServerConfig;
import dev.nano.apps.WorkerPool;
import dev.nano.engine.NanoEngine;
import dev.nano.jmh.Jit;

/**
 * NANO's HTTP server without a socket: one connection as a Netty {@link EmbeddedChannel} carrying the
 * server's own pipeline ({@link HttpServer}'s, codec to {@link AppDispatchHandler}), one app served by
 * the real registry, worker pool, context and JS dispatch, and the access log and metrics that watch
 * every response. Everything runs on the calling (JMH) thread, which is both the connection's I/O
 * thread and the app's worker, as one I/O thread is both in the server. Bytes go in as the client
 * would send them, one {@link #exchange read} at a time; the encoded response bytes come out.
 */
final class EmbeddedServer implements AutoCloseable {
    private final Path dir;
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final CallerLoop worker;
    private final NanoEngine engine = new NanoEngine();
    private final EventLog log = EventLog.async(OutputStream.nullOutputStream(), true); // as nano serve logs
    private final WorkerPool workers;
    private final AppRegistry registry;
    private final HttpServer http;

    /** Serves {@code moduleCode} (an app's index.js) on every host and path. */
    EmbeddedServer(String moduleCode) throws Exception {
        Jit.check(engine);
        dir = Files.createTempDirectory("nano-jmh-app");
        Files.writeString(dir.resolve("index.js"), moduleCode);
        worker = new CallerLoop(channel.eventLoop(), Thread.currentThread());
        ServerLimits limits = ServerLimits.DEFAULTS;
        workers = new WorkerPool(worker);
        registry = new AppRegistry(new AppServices(engine, workers, log, limits.maxBodyBytes(),
                limits.responseTimeoutMillis()));
        load(new ServerConfig("127.0.0.1", 0, 1, List.of(AppConfig.single("bench", dir)), null,
                AdminConfig.OFF, null));
        ServerMetrics metrics = new ServerMetrics(registry, () -> 1);
        // what NanoServer does with every response: one access log line, and the latency metric
        RequestObserver observer = (app, method, host, path, status, nanos, bytes) -> {
            log.request(app == null ? ServerMetrics.NO_APP : app, method, host, path, status, nanos / 1e6, bytes);
            metrics.completed(app, method, host, path, status, nanos, bytes);
        };
        http = new HttpServer(registry, limits, observer, log, channel.eventLoop());
        // the server's own pipeline, as HttpServer.bind sets it up on each accepted connection
        Method configure = HttpServer.class.getDeclaredMethod("configure", ChannelPipeline.class);
        configure.setAccessible(true);
        configure.invoke(http, channel.pipeline());
    }

    /**
     * The registry loads the app once on a worker and waits for it (start-up's load check): that wait
     * is on another thread here, while this one, the worker, runs the load.
     */
    private void load(ServerConfig config) throws InterruptedException {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread loader = Thread.ofPlatform().name("nano-jmh-loader").start(() -> {
            try {
                registry.start(config);
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        while (loader.isAlive()) {
            worker.runForeign();
            channel.runPendingTasks();
            Thread.sleep(1);
        }
        if (failed.get() != null) {
            throw new IllegalStateException("the app did not load: " + failed.get(), failed.get());
        }
        String error = registry.apps().iterator().next().loadError();
        if (error != null) {
            throw new IllegalStateException("the app did not load: " + error);
        }
    }

    /**
     * Hands {@code reads} to the connection one read at a time (each read's tasks run before the
     * next, as the I/O thread runs them), then returns the bytes written back, released. Each read
     * is consumed (released by the pipeline).
     */
    long exchange(ByteBuf... reads) {
        for (ByteBuf read : reads) {
            channel.writeInbound(read);
            drain();
        }
        long bytes = 0;
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) out;
            bytes += buf.readableBytes();
            buf.release();
        }
        return bytes;
    }

    /** {@link #exchange}, returning the response as text (for the benchmarks' self-checks). */
    String exchangeText(ByteBuf... reads) {
        for (ByteBuf read : reads) {
            channel.writeInbound(read);
            drain();
        }
        StringBuilder text = new StringBuilder();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) out;
            text.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return text.toString();
    }

    private void drain() {
        do {
            worker.runForeign();
            channel.runPendingTasks();
        } while (channel.hasPendingTasks());
    }

    /** A pooled buffer holding {@code bytes}, as the I/O thread would read them from a socket. */
    ByteBuf read(byte[] bytes) {
        return channel.alloc().buffer(bytes.length).writeBytes(bytes);
    }

    @Override
    public void close() throws IOException {
        channel.close();
        drain();
        http.close();
        registry.retireAll();
        drain();
        workers.close();
        log.close();
        engine.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
