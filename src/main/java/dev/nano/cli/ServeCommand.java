package dev.nano.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.nano.apps.AdminConfig;
import dev.nano.apps.AppConfig;
import dev.nano.apps.AppEntry;
import dev.nano.apps.ConfigException;
import dev.nano.apps.ConfigLoader;
import dev.nano.apps.EventLog;
import dev.nano.apps.ServerConfig;
import dev.nano.engine.NanoEngine;
import dev.nano.server.NanoServer;
import dev.nano.server.ServerLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nano serve app.js | dir/ | --config nano.json}: serves Workers-style apps over HTTP until
 * SIGTERM or SIGINT, then shuts down gracefully and exits 0.
 *
 * <p>Output: stdout carries the JSON log (one object per line: requests, app console output, app
 * errors); stderr carries NANO's own messages for the operator (listening URLs, reloads, config errors).
 */
@Command(name = "serve", description = "Serve an app (module file or folder) or the apps of a nano.json over HTTP.",
        footer = {"", "Output: stdout is the JSON log, one object per line: \"type\":\"request\" (one per request),",
                "\"console\" (the apps' console output, tagged with the app) and \"error\" (app errors, with stacks).",
                "stderr carries NANO's own messages: listening URLs, reloads, configuration errors.",
                "SIGTERM/SIGINT: stop accepting, finish requests in flight and waitUntil work, exit 0."})
final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "the app: a module file, or a folder with index.js (or a main in nano.json/package.json)")
    Path app;

    @Option(names = "--config", paramLabel = "FILE", description = "serve the apps of this nano.json")
    Path config;

    @Option(names = "--port", description = "port to listen on (default: 8080, or nano.json's port)")
    Integer port;

    @Option(names = "--host", description = "interface to listen on (default: 127.0.0.1, or nano.json's host)")
    String host;

    @Option(names = "--admin-port", description = "serve the admin API and /metrics on this port (loopback)")
    Integer adminPort;

    @Option(names = "--workers", description = "JS worker threads (default: one per core)")
    Integer workers;

    @Option(names = "--no-watch", negatable = false, description = "do not reload when nano.json or app files change")
    boolean noWatch;

    @Option(names = "--no-access-log", negatable = false, description = "do not log one JSON line per request")
    boolean noAccessLog;

    @Option(names = "--shutdown-grace", paramLabel = "MS", description = "how long a shutdown waits for requests in flight (default: 30000)")
    Long shutdownGraceMillis;

    @Option(names = "--max-body-mb", paramLabel = "MB", description = "largest request body any app may accept, in MiB (default: 16; an app's limits.bodyMb may set less)")
    Long maxBodyMb;

    @Option(names = "--wasm-shared-memory", negatable = false, description = "let apps make shared WebAssembly memories"
            + " (SharedArrayBuffer through WebAssembly.Memory({shared: true})); they live off the Java heap, outside the"
            + " per-app memory limits, capped for the process by -XX:MaxDirectMemorySize")
    boolean wasmSharedMemory;

    @Override
    public Integer call() throws Exception {
        ServerConfig cfg;
        try {
            cfg = configure();
        } catch (ConfigException e) {
            System.err.println("error: invalid configuration, not starting:");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 1;
        }
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Netty's sampled leak tracking captures stacks on the hot path; opt back in with the property.
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        ServerLimits limits = ServerLimits.DEFAULTS;
        if (shutdownGraceMillis != null) {
            limits = limits.withShutdownGrace(shutdownGraceMillis);
        }
        if (maxBodyMb != null) {
            if (maxBodyMb <= 0) {
                System.err.println("error: --max-body-mb must be greater than 0");
                return 1;
            }
            limits = limits.withMaxBodyBytes(maxBodyMb * 1024 * 1024);
        }
        NanoServer.Options options = NanoServer.Options.defaults().withLimits(limits).withWatch(!noWatch);
        EventLog log = EventLog.async(System.out, !noAccessLog);
        NanoEngine engine = new NanoEngine(wasmSharedMemory);
        engine.logRuntimeMode();
        NanoServer server;
        try {
            server = NanoServer.start(cfg, options, engine, log);
        } catch (java.io.IOException e) { // Netty's native transport reports bind errors as IOExceptions
            System.err.println("error: cannot listen on " + cfg.host() + ":" + cfg.port() + " (or the admin port): "
                    + e.getMessage());
            log.close();
            engine.close();
            return 1;
        }
        installSignalHandlers(server);
        System.err.println("nano: listening on http://" + hostForUrl(cfg.host()) + ":" + server.port() + "/");
        for (String line : server.describeApps()) {
            System.err.println("  " + line);
        }
        if (server.adminPort() >= 0) {
            System.err.println("nano: admin API on http://" + hostForUrl(cfg.admin().host()) + ":" + server.adminPort() + "/");
        }
        server.awaitTermination();
        engine.close();
        log.close();
        System.err.println("nano: stopped");
        return 0;
    }

    private ServerConfig configure() throws ConfigException {
        if (config != null && app != null) {
            throw new ConfigException("give either an app or --config, not both");
        }
        ServerConfig cfg;
        if (config != null) {
            cfg = ConfigLoader.load(config);
        } else {
            Path path = app != null ? app : Path.of(".");
            AppEntry entry = AppEntry.resolve(path);
            Path abs = path.toAbsolutePath().normalize();
            String name = (Files.isDirectory(abs) ? abs : entry.module()).getFileName().toString().replaceFirst("\\.m?js$", "");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                name = "app";
            }
            cfg = new ServerConfig(ServerConfig.DEFAULT_HOST, ServerConfig.DEFAULT_PORT, 0,
                    java.util.List.of(AppConfig.single(name, abs)), null, AdminConfig.OFF, null);
        }
        if (host != null || port != null) {
            cfg = cfg.withListener(host != null ? host : cfg.host(), port != null ? port : cfg.port());
        }
        if (adminPort != null) {
            cfg = cfg.withAdmin(new AdminConfig(cfg.admin().host(), adminPort, cfg.admin().token()));
        }
        if (workers != null) {
            cfg = cfg.withWorkers(workers);
        }
        return cfg;
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /**
     * SIGTERM and SIGINT start a graceful shutdown on their own thread, after which {@link #call}
     * returns 0. A shutdown hook covers the other ways the JVM may be asked to exit.
     */
    @SuppressWarnings("restriction")
    private static void installSignalHandlers(NanoServer server) {
        java.util.concurrent.atomic.AtomicInteger signals = new java.util.concurrent.atomic.AtomicInteger();
        Runnable stop = () -> {
            if (signals.incrementAndGet() > 1) {
                System.err.println("nano: second signal, exiting now");
                Runtime.getRuntime().halt(1);
            }
            Thread.ofPlatform().name("nano-shutdown").start(() -> {
                System.err.println("nano: shutting down (finishing requests in flight)");
                server.shutdown();
            });
        };
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stop.run());
            } catch (IllegalArgumentException unsupported) {
                // not on this platform: the shutdown hook still drains
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "nano-shutdown-hook"));
    }
}
