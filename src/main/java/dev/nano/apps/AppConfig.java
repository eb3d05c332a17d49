package dev.nano.apps;

import java.nio.file.Path;
import java.util.List;

import dev.nano.ext.fetch.FetchPolicy;
import dev.nano.ext.cache.CacheSettings;

/**
 * One app as configured: what it is called, which requests reach it, what it runs.
 *
 * @param name unique name, used in logs, metrics and the admin API
 * @param hostnames exact hosts ({@code shop.local}) and wildcards ({@code *.shop.local}); empty: any host
 * @param pathPrefix requests whose path is this prefix or below it ({@code /api} takes {@code /api/x});
 *     {@code "/"}: every path. The app sees the full, unstripped URL
 * @param path the module file or app folder, absolute
 * @param envJson the app's {@code env} as a JSON object (string and JSON values)
 * @param limits the app's limits
 * @param fetch what the app's outbound fetch() may do ({@code "fetch"})
 * @param cache where its Cache API entries live and their byte budget ({@code "cache"} in nano.json)
 */
public record AppConfig(String name, List<String> hostnames, String pathPrefix, Path path, String envJson,
                        AppLimits limits, FetchPolicy fetch, CacheSettings cache) {
    public AppConfig {
        hostnames = List.copyOf(hostnames);
        fetch = fetch == null ? FetchPolicy.DEFAULTS : fetch;
        cache = cache == null ? CacheSettings.DEFAULTS : cache;
    }

    /** An app with the default fetch policy and cache settings (in memory). */
    public AppConfig(String name, List<String> hostnames, String pathPrefix, Path path, String envJson,
                     AppLimits limits) {
        this(name, hostnames, pathPrefix, path, envJson, limits, FetchPolicy.DEFAULTS, CacheSettings.DEFAULTS);
    }

    /** An app reached on any host and path: what {@code nano serve app.js} serves. */
    public static AppConfig single(String name, Path path) {
        return new AppConfig(name, List.of(), "/", path.toAbsolutePath().normalize(), "{}", AppLimits.DEFAULTS);
    }
}
