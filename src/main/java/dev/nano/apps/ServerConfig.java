package dev.nano.apps;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code nano serve} runs: listener, apps, admin API.
 *
 * @param host interface to bind
 * @param port port (0: ephemeral)
 * @param workers JS worker threads; 0: one per core
 * @param apps the apps, in config order
 * @param defaultApp the app for hosts no other app claims; null: such requests get 404
 * @param admin the admin API
 * @param source the nano.json this came from, or null (single app from the command line)
 */
public record ServerConfig(String host, int port, int workers, List<AppConfig> apps, String defaultApp,
                           AdminConfig admin, Path source) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public ServerConfig {
        apps = List.copyOf(apps);
    }

    public ServerConfig withListener(String newHost, int newPort) {
        return new ServerConfig(newHost, newPort, workers, apps, defaultApp, admin, source);
    }

    public ServerConfig withAdmin(AdminConfig newAdmin) {
        return new ServerConfig(host, port, workers, apps, defaultApp, newAdmin, source);
    }

    public ServerConfig withWorkers(int n) {
        return new ServerConfig(host, port, n, apps, defaultApp, admin, source);
    }
}
