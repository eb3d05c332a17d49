package dev.nano.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.channel.EventLoopGroup;

import dev.nano.apps.App;
import dev.nano.apps.AppConfig;
import dev.nano.apps.AppRegistry;
import dev.nano.apps.AppServices;
import dev.nano.apps.ConfigException;
import dev.nano.apps.ContextPool;
import dev.nano.apps.ConfigLoader;
import dev.nano.apps.EventLog;
import dev.nano.apps.HotReloader;
import dev.nano.apps.ServerConfig;
import dev.nano.apps.WorkerPool;
import dev.nano.engine.NanoEngine;
import dev.nano.ext.fetch.AddressGuard;

/**
 * A running {@code nano serve}: worker threads, apps, the HTTP listener, the admin listener and the
 * file watcher, started together and shut down gracefully together.
 */
public final class NanoServer implements AdminApi, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NanoServer.class.getName());

    /** How the server runs, beside what nano.json says. */
    public record Options(ServerLimits limits, boolean watch) {
        public static Options defaults() {
            return new Options(ServerLimits.DEFAULTS, true);
        }

        public Options withWatch(boolean on) {
            return new Options(limits, on);
        }

        public Options withLimits(ServerLimits l) {
            return new Options(l, watch);
        }
    }

    private final ServerConfig started;
    private final Options options;
    private final NanoEngine engine;
    private final boolean ownEngine;
    private final EventLog log;
    private final WorkerPool workers;
    private final ContextPool spares;
    private final AppRegistry registry;
    private final EventLoopGroup io;
    private final ServerMetrics metrics;
    private final HttpServer http;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private AdminServer admin;
    private EventLoopGroup adminIo;
    private HotReloader reloader;
    private volatile String readiness = "starting";
    private int port;
    private int adminPort = -1;
    private Path uploads;

    private NanoServer(ServerConfig config, Options options, NanoEngine engine, EventLog log) {
        this.started = config;
        this.options = options;
        this.ownEngine = engine == null;
        this.engine = engine != null ? engine : new NanoEngine();
        this.log = log;
        // The worker threads ARE the HTTP I/O threads: a request is decoded, run in JS and answered
        // on one thread, with no hand-off (a hand-off cost ~2x the CPU per hello-world request).
        this.io = Transport.newGroup(config.workers() > 0 ? config.workers() : WorkerPool.defaultSize(), "nano-worker");
        this.workers = new WorkerPool(io);
        this.spares = new ContextPool(this.engine, workers.front(), ContextPool.configuredSize());
        this.registry = new AppRegistry(new AppServices(this.engine, workers, log, options.limits().maxBodyBytes(),
                options.limits().responseTimeoutMillis(), spares));
        this.http = new HttpServer(registry, options.limits(), this::completed, log, io);
        this.metrics = new ServerMetrics(registry, http::connectionCount);
    }

    /** Every response, once written: one access log line, and the latency metric. */
    private void completed(String app, String method, String host, String path, int status, long nanos, long bytes) {
        log.request(app == null ? ServerMetrics.NO_APP : app, method, host, path, status, nanos / 1e6, bytes);
        metrics.completed(app, method, host, path, status, nanos, bytes);
    }

    /**
     * Loads every app (one that fails to load answers 503 and is logged), then listens.
     *
     * @param engine a shared engine, or null to create (and later close) one
     */
    public static NanoServer start(ServerConfig config, Options options, NanoEngine engine, EventLog log)
            throws IOException, InterruptedException {
        NanoServer server = new NanoServer(config, options, engine, log);
        try {
            server.registry.start(config);
            server.port = server.http.bind(config.host(), config.port());
            if (config.admin().enabled()) {
                // its own thread: the admin API and health checks answer while JS keeps the workers busy
                server.adminIo = Transport.newGroup(1, "nano-admin-io");
                server.admin = new AdminServer(server, server.adminIo);
                server.adminPort = server.admin.bind(config.admin().host(), config.admin().port());
                AddressGuard.reservePort(server.adminPort); // apps' fetch() may not call the admin API
            }
            if (options.watch()) {
                server.reloader = new HotReloader(server.registry, config.source(), server::filesChanged);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        server.readiness = "ready";
        server.spares.startBuilding();
        return server;
    }

    public int port() {
        return port;
    }

    /** The admin port, or -1 when the admin API is off. */
    public int adminPort() {
        return adminPort;
    }

    public ServerConfig config() {
        return started;
    }

    /** Where each app can be reached, e.g. {@code hello  http://127.0.0.1:8080/}. */
    public List<String> describeApps() {
        List<String> lines = new ArrayList<>();
        String listen = started.host().contains(":") ? "[" + started.host() + "]" : started.host();
        for (App app : registry.apps()) {
            String prefix = app.config().pathPrefix().equals("/") ? "/" : app.config().pathPrefix() + "/";
            List<String> hosts = app.config().hostnames().isEmpty() ? List.of(listen) : app.config().hostnames();
            for (String h : hosts) {
                String line = app.name() + "  http://" + h + ":" + port + prefix;
                if (app.loadError() != null) {
                    line += "  (failed to load: see the log)";
                }
                lines.add(line);
            }
        }
        return lines;
    }

    // ---- AdminApi ----

    @Override
    public AppRegistry registry() {
        return registry;
    }

    @Override
    public String token() {
        return started.admin().token();
    }

    @Override
    public String readiness() {
        return readiness;
    }

    @Override
    public ServerMetrics metrics() {
        return metrics;
    }

    @Override
    public synchronized AppConfig appConfig(String name, JsonNode body) throws ConfigException {
        Path base = started.source() != null ? started.source().getParent() : Path.of("").toAbsolutePath();
        if (body instanceof ObjectNode obj && obj.has("module")) {
            if (obj.has("path")) {
                throw new ConfigException("module: give either path or module, not both");
            }
            if (!obj.get("module").isTextual()) {
                throw new ConfigException("module: must be a string (the app's JS module source)");
            }
            ObjectNode copy = obj.deepCopy();
            String source = copy.remove("module").asText();
            try {
                if (uploads == null) {
                    uploads = Files.createTempDirectory("nano-uploads");
                    if (reloader != null) {
                        reloader.doNotWatchUnder(uploads); // only NANO writes there
                    }
                }
                Path dir = Files.createTempDirectory(uploads, name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-");
                Files.writeString(dir.resolve("index.js"), source);
                copy.put("path", dir.toString());
            } catch (IOException e) {
                throw new ConfigException("module: cannot store the upload: " + e.getMessage());
            }
            body = copy;
        }
        return ConfigLoader.parseApp(body, name, base);
    }

    @Override
    public synchronized List<String> reload() {
        Set<String> all = new HashSet<>();
        registry.apps().forEach(a -> all.add(a.name()));
        List<String> problems = reloadConfig(all);
        appsChanged();
        return problems;
    }

    @Override
    public void appsChanged() {
        if (reloader != null) {
            reloader.refreshSoon();
        }
    }

    private synchronized void filesChanged(boolean configChanged, Set<String> apps) {
        if (configChanged) {
            reloadConfig(apps);
        } else {
            LOG.info("files changed, reloading: " + String.join(", ", apps));
            registry.reloadFiles(apps);
        }
    }

    /** Re-reads nano.json (if any) and loads new versions of changed apps and of {@code changedFiles}. */
    private List<String> reloadConfig(Set<String> changedFiles) {
        if (started.source() == null) {
            registry.reloadFiles(changedFiles);
            return List.of();
        }
        ServerConfig next;
        try {
            next = ConfigLoader.load(started.source());
        } catch (ConfigException e) {
            LOG.severe("nano.json changed but is invalid; the previous configuration stays in force:\n  "
                    + String.join("\n  ", e.problems()));
            return e.problems();
        }
        if (next.port() != started.port() || !next.host().equals(started.host()) || !next.admin().equals(started.admin())
                || next.workers() != started.workers()) {
            LOG.warning("nano.json: changes to port, host, workers or admin take effect after a restart");
        }
        LOG.info("nano.json changed, applying it");
        registry.apply(next, changedFiles);
        return List.of();
    }

    // ---- shutdown ----

    /**
     * Graceful shutdown: stop accepting, answer what is in flight (keep-alive connections are closed
     * after their current response), wait for requests and their {@code waitUntil} work up to the
     * grace time, then stop everything.
     */
    public void shutdown() {
        if (!stopping.compareAndSet(false, true)) {
            awaitTermination();
            return;
        }
        try {
            readiness = "draining";
            if (reloader != null) {
                reloader.close();
            }
            http.drain();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.limits().shutdownGraceMillis());
            while (http.inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (http.inFlight() > 0) {
                LOG.warning(http.inFlight() + " request(s) still running after the shutdown grace time; stopping them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopAll();
        }
    }

    /** Blocks until {@link #shutdown()} has finished. */
    public void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAll() {
        try {
            http.close();
            if (admin != null) {
                admin.close();
                AddressGuard.releasePort(adminPort);
            }
            registry.retireAll();
            spares.close();
            awaitLoops(); // lets the contexts' close tasks run
            workers.close();
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            if (adminIo != null) {
                adminIo.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            }
            if (ownEngine) {
                try {
                    engine.close();
                } catch (IllegalStateException stillRunning) {
                    // contexts of requests that outlived the grace time: the process ends anyway
                }
            }
            log.flush();
        } finally {
            terminated.countDown();
        }
    }

    private void awaitLoops() {
        CountDownLatch done = new CountDownLatch(workers.size());
        workers.all().forEach(w -> w.loop().execute(done::countDown));
        try {
            done.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops at once, without waiting for requests in flight. */
    @Override
    public void close() {
        if (stopping.compareAndSet(false, true)) {
            readiness = "draining";
            if (reloader != null) {
                reloader.close();
            }
            stopAll();
        } else {
            awaitTermination();
        }
    }
}
