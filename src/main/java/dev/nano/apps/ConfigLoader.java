package dev.nano.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nano.ext.fetch.FetchPolicy;
import dev.nano.ext.cache.CacheSettings;

/**
 * Reads and validates {@code nano.json} (format in ARCHITECTURE.md "Configuration"). Every mistake is
 * reported with its JSON path ({@code apps[1].hostnames[0]: must be a string}), all at once, and
 * nothing half-valid is returned. Relative paths are relative to the config file's folder.
 */
public final class ConfigLoader {
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Set<String> ROOT_KEYS = Set.of("port", "host", "workers", "apps", "defaultApp", "admin");
    private static final Set<String> APP_KEYS = Set.of("name", "hostnames", "pathPrefix", "path", "env", "limits", "fetch",
            "cache");
    private static final Set<String> LIMIT_KEYS = Set.of("cpuMs", "memoryMb", "bodyMb", "timeoutMs",
            "maxConcurrent", "consoleKb", "idleMs");
    private static final Set<String> CACHE_KEYS = Set.of("dir", "maxMb");
    private static final Set<String> ADMIN_KEYS = Set.of("port", "host", "token");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+\\]");

    private final Path baseDir;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Path baseDir) {
        this.baseDir = baseDir;
    }

    public static ServerConfig load(Path file) throws ConfigException {
        Path abs = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(abs);
        } catch (IOException e) {
            throw new ConfigException(abs + ": cannot read: " + e.getMessage());
        }
        return parse(text, abs.getParent(), abs);
    }

    /** @param source the file {@code json} came from, or null */
    public static ServerConfig parse(String json, Path baseDir, Path source) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(baseDir);
        ServerConfig config = loader.server(readTree(json, source));
        loader.throwIfProblems();
        return new ServerConfig(config.host(), config.port(), config.workers(), config.apps(), config.defaultApp(),
                config.admin(), source);
    }

    /**
     * One app given by the admin API: the same fields as an entry of {@code apps}; {@code name}, when
     * present, must equal {@code name}.
     */
    public static AppConfig parseApp(JsonNode node, String name, Path baseDir) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(baseDir);
        if (!NAME.matcher(name).matches()) {
            loader.problem("name", "must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        if (node != null && node.isObject() && node.has("name") && !name.equals(node.get("name").asText())) {
            loader.problem("name", "must match the name in the URL (\"" + name + "\")");
        }
        AppConfig app = loader.app(node, "", name);
        loader.throwIfProblems();
        return app;
    }

    /** Parses JSON text (e.g. an admin API body), reporting syntax errors with line and column. */
    public static JsonNode readJson(String json) throws ConfigException {
        return readTree(json, null);
    }

    /** As {@link #readJson(String)}, from UTF-8 bytes (an admin API body) without decoding them to a String first. */
    public static JsonNode readJson(byte[] json) throws ConfigException {
        try {
            return checked(JSON.readTree(json), null);
        } catch (JsonProcessingException e) {
            throw invalid(e, null);
        } catch (java.io.IOException e) {
            throw new ConfigException("invalid JSON: " + e.getMessage());
        }
    }

    static JsonNode readTree(String json, Path source) throws ConfigException {
        try {
            return checked(JSON.readTree(json), source);
        } catch (JsonProcessingException e) {
            throw invalid(e, source);
        }
    }

    private static JsonNode checked(JsonNode node, Path source) throws ConfigException {
        if (node == null || node.isMissingNode()) {
            throw new ConfigException(where(source) + "empty document");
        }
        return node;
    }

    private static ConfigException invalid(JsonProcessingException e, Path source) {
        JsonLocation at = e.getLocation();
        String line = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return new ConfigException(where(source) + line + "invalid JSON: " + e.getOriginalMessage());
    }

    private static String where(Path source) {
        return source == null ? "" : source + ": ";
    }

    private void throwIfProblems() throws ConfigException {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private void problem(String path, String message) {
        problems.add((path.isEmpty() ? "(root)" : path) + ": " + message);
    }

    private ServerConfig server(JsonNode root) {
        if (!root.isObject()) {
            problem("", "must be an object");
            return new ServerConfig(ServerConfig.DEFAULT_HOST, ServerConfig.DEFAULT_PORT, 0, List.of(), null,
                    AdminConfig.OFF, null);
        }
        checkKeys(root, "", ROOT_KEYS);
        int port = intField(root, "port", "port", 0, 65535, ServerConfig.DEFAULT_PORT);
        String host = stringField(root, "host", "host", ServerConfig.DEFAULT_HOST);
        int workers = intField(root, "workers", "workers", 1, 1024, 0);
        List<AppConfig> apps = apps(root.get("apps"));
        String defaultApp = stringField(root, "defaultApp", "defaultApp", null);
        if (defaultApp != null && apps.stream().noneMatch(a -> a.name().equals(defaultApp))) {
            problem("defaultApp", "no app is named \"" + defaultApp + "\"");
        }
        AdminConfig admin = admin(root.get("admin"));
        if (admin.enabled() && admin.port() == port && port != 0 && admin.host().equals(host)) {
            problem("admin.port", "must differ from port (" + port + ")");
        }
        return new ServerConfig(host, port, workers, apps, defaultApp, admin, null);
    }

    private List<AppConfig> apps(JsonNode node) {
        List<AppConfig> apps = new ArrayList<>();
        if (node == null) {
            return apps;
        }
        if (!node.isArray()) {
            problem("apps", "must be an array of apps");
            return apps;
        }
        Map<String, String> names = new HashMap<>();
        Map<String, String> routes = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "apps[" + i + "]";
            AppConfig app = app(node.get(i), at, null);
            if (app == null) {
                continue;
            }
            String previous = names.putIfAbsent(app.name(), at);
            if (previous != null) {
                problem(at + ".name", "\"" + app.name() + "\" is already the name of " + previous);
            }
            List<String> hosts = app.hostnames().isEmpty() ? List.of("") : app.hostnames();
            for (int h = 0; h < hosts.size(); h++) {
                String route = hosts.get(h) + app.pathPrefix();
                String owner = routes.putIfAbsent(route, at);
                if (owner != null) {
                    String what = hosts.get(h).isEmpty() ? "any host" : "\"" + hosts.get(h) + "\"";
                    problem(app.hostnames().isEmpty() ? at : at + ".hostnames[" + h + "]",
                            what + " with pathPrefix \"" + app.pathPrefix() + "\" is already routed to " + owner);
                }
            }
            apps.add(app);
        }
        return apps;
    }

    /** @param fixedName the name when it comes from elsewhere (admin URL), else null */
    private AppConfig app(JsonNode node, String at, String fixedName) {
        String prefix = at.isEmpty() ? "" : at + ".";
        if (node == null || !node.isObject()) {
            problem(at, "must be an object");
            return null;
        }
        int before = problems.size();
        checkKeys(node, at, APP_KEYS);
        String name = fixedName != null ? fixedName : stringField(node, "name", prefix + "name", null);
        if (name == null && fixedName == null && !node.has("name")) {
            problem(prefix + "name", "is required");
        } else if (name != null && fixedName == null && !NAME.matcher(name).matches()) {
            problem(prefix + "name", "must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        List<String> hostnames = hostnames(node.get("hostnames"), prefix + "hostnames");
        String pathPrefix = pathPrefix(node.get("pathPrefix"), prefix + "pathPrefix");
        Path path = null;
        String pathText = stringField(node, "path", prefix + "path", null);
        if (pathText == null && !node.has("path")) {
            problem(prefix + "path", "is required (the app's module file or folder)");
        } else if (pathText != null) {
            path = baseDir.resolve(pathText).toAbsolutePath().normalize();
            try {
                AppEntry.resolve(path);
            } catch (ConfigException e) {
                problem(prefix + "path", e.getMessage());
            }
        }
        String envJson = env(node.get("env"), prefix + "env");
        AppLimits limits = limits(node.get("limits"), prefix + "limits");
        FetchPolicy fetch = FetchPolicy.fromJson(node.get("fetch"), prefix + "fetch", this::problem);
        CacheSettings cache = cache(node.get("cache"), prefix + "cache");
        if (problems.size() > before) {
            return null;
        }
        return new AppConfig(name, hostnames, pathPrefix, path, envJson, limits, fetch, cache);
    }

    private List<String> hostnames(JsonNode node, String at) {
        List<String> hosts = new ArrayList<>();
        if (node == null) {
            return hosts;
        }
        if (!node.isArray()) {
            problem(at, "must be an array of host names");
            return hosts;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode h = node.get(i);
            String hat = at + "[" + i + "]";
            if (!h.isTextual()) {
                problem(hat, "must be a string");
                continue;
            }
            String host = normalizeHost(h.asText());
            if (!isValidHostPattern(host)) {
                problem(hat, "\"" + h.asText() + "\" is not a host name (e.g. \"shop.example.com\" or \"*.example.com\", no port)");
            } else if (hosts.contains(host)) {
                problem(hat, "\"" + host + "\" is listed twice");
            } else {
                hosts.add(host);
            }
        }
        return hosts;
    }

    /** Lowercase, no trailing dot: the form hosts are compared in. */
    public static String normalizeHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    static boolean isValidHostPattern(String host) {
        if (IPV6.matcher(host).matches()) {
            return true;
        }
        String rest = host.startsWith("*.") ? host.substring(2) : host;
        if (rest.isEmpty() || rest.length() > 253) {
            return false;
        }
        for (String label : rest.split("\\.", -1)) {
            if (label.length() > 63 || !LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private String pathPrefix(JsonNode node, String at) {
        if (node == null) {
            return "/";
        }
        if (!node.isTextual()) {
            problem(at, "must be a string");
            return "/";
        }
        String p = node.asText();
        if (!p.startsWith("/") || p.contains("?") || p.contains("#") || p.contains(" ")) {
            problem(at, "must be a URL path starting with '/' (no query, fragment or spaces)");
            return "/";
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private String env(JsonNode node, String at) {
        if (node == null) {
            return "{}";
        }
        if (!node.isObject()) {
            problem(at, "must be an object of variables (string or JSON values)");
            return "{}";
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            problem(at, e.getOriginalMessage());
            return "{}";
        }
    }

    private AppLimits limits(JsonNode node, String at) {
        if (node == null) {
            return AppLimits.DEFAULTS;
        }
        if (!node.isObject()) {
            problem(at, "must be an object");
            return AppLimits.DEFAULTS;
        }
        checkKeys(node, at, LIMIT_KEYS);
        long cpuMs = intField(node, "cpuMs", at + ".cpuMs", 1, Integer.MAX_VALUE, 0);
        long memoryMb = intField(node, "memoryMb", at + ".memoryMb", 1, Integer.MAX_VALUE, 0);
        long timeoutMs = intField(node, "timeoutMs", at + ".timeoutMs", 1, Integer.MAX_VALUE, 0);
        long maxConcurrent = intField(node, "maxConcurrent", at + ".maxConcurrent", 1, Integer.MAX_VALUE, 0);
        long consoleKb = intField(node, "consoleKb", at + ".consoleKb", 1, Integer.MAX_VALUE, 0);
        long idleMs = intField(node, "idleMs", at + ".idleMs", 1, Integer.MAX_VALUE, 0);
        long bodyBytes = 0;
        JsonNode body = node.get("bodyMb");
        if (body != null) {
            if (!body.isNumber() || body.asDouble() <= 0 || body.asDouble() > 1024 * 1024) {
                problem(at + ".bodyMb", "must be a number greater than 0 (megabytes)");
            } else {
                bodyBytes = Math.max(1, (long) (body.asDouble() * 1024 * 1024));
            }
        }
        return new AppLimits(bodyBytes, timeoutMs, cpuMs, memoryMb, maxConcurrent, consoleKb, idleMs);
    }

    /** {@code "cache": {"dir": "folder", "maxMb": 64}}: a folder keeps the app's Cache API entries across restarts. */
    private CacheSettings cache(JsonNode node, String at) {
        if (node == null) {
            return CacheSettings.DEFAULTS;
        }
        if (!node.isObject()) {
            problem(at, "must be an object");
            return CacheSettings.DEFAULTS;
        }
        checkKeys(node, at, CACHE_KEYS);
        String dirText = stringField(node, "dir", at + ".dir", null);
        if (dirText != null && dirText.isBlank()) {
            problem(at + ".dir", "must not be empty (leave it out to keep the cache in memory)");
            dirText = null;
        }
        long maxBytes = 0;
        JsonNode max = node.get("maxMb");
        if (max != null) {
            if (!max.isNumber() || max.asDouble() <= 0 || max.asDouble() > 1024 * 1024) {
                problem(at + ".maxMb", "must be a number greater than 0 (megabytes)");
            } else {
                maxBytes = Math.max(1, (long) (max.asDouble() * 1024 * 1024));
            }
        }
        Path dir = dirText == null ? null : baseDir.resolve(dirText).toAbsolutePath().normalize();
        return CacheSettings.of(dir, maxBytes);
    }

    private AdminConfig admin(JsonNode node) {
        if (node == null) {
            return AdminConfig.OFF;
        }
        if (!node.isObject()) {
            problem("admin", "must be an object");
            return AdminConfig.OFF;
        }
        checkKeys(node, "admin", ADMIN_KEYS);
        if (!node.has("port")) {
            problem("admin.port", "is required");
        }
        int port = intField(node, "port", "admin.port", 0, 65535, -1);
        String host = stringField(node, "host", "admin.host", AdminConfig.DEFAULT_HOST);
        String token = stringField(node, "token", "admin.token", null);
        if (token != null && token.isEmpty()) {
            problem("admin.token", "must not be empty (leave it out for no token)");
        }
        return new AdminConfig(host, port, token);
    }

    private void checkKeys(JsonNode node, String at, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                problem(at.isEmpty() ? key : at + "." + key,
                        "unknown field; expected one of " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private int intField(JsonNode node, String key, String at, int min, int max, int absent) {
        JsonNode v = node.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            problem(at, "must be an integer from " + min + " to " + max);
            return absent;
        }
        return v.asInt();
    }

    private String stringField(JsonNode node, String key, String at, String absent) {
        JsonNode v = node.get(key);
        if (v == null) {
            return absent;
        }
        if (!v.isTextual()) {
            problem(at, "must be a string");
            return absent;
        }
        return v.asText();
    }
}
