package dev.nano.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("a.js"), "export default {}");
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("b/index.js"), "export default {}");
    }

    private ServerConfig parse(String json) throws ConfigException {
        return ConfigLoader.parse(json, dir, dir.resolve("nano.json"));
    }

    private List<String> problems(String json) {
        return assertThrows(ConfigException.class, () -> parse(json)).problems();
    }

    @Test
    void readsAValidConfigWithDefaultsAndRelativePaths() throws Exception {
        ServerConfig c = parse("""
                { "port": 9000, "apps": [
                    { "name": "a", "hostnames": ["A.Example.com.", "*.a.test"], "path": "a.js",
                      "env": { "KEY": "v", "OBJ": { "n": 1 } }, "limits": { "cpuMs": 50, "memoryMb": 64, "bodyMb": 0.5, "timeoutMs": 100 } },
                    { "name": "b", "pathPrefix": "/api/", "path": "b" } ],
                  "defaultApp": "b", "admin": { "port": 9001, "token": "t" } }
                """);
        assertEquals(9000, c.port());
        assertEquals("127.0.0.1", c.host());
        assertEquals("b", c.defaultApp());
        AppConfig a = c.apps().get(0);
        assertEquals(List.of("a.example.com", "*.a.test"), a.hostnames());
        assertEquals("/", a.pathPrefix());
        assertEquals(dir.resolve("a.js"), a.path());
        assertEquals("{\"KEY\":\"v\",\"OBJ\":{\"n\":1}}", a.envJson());
        assertEquals(new AppLimits(512 * 1024, 100, 50, 64), a.limits());
        assertEquals("/api", c.apps().get(1).pathPrefix());
        assertEquals(List.of(), c.apps().get(1).hostnames());
        assertEquals(new AdminConfig("127.0.0.1", 9001, "t"), c.admin());
    }

    @Test
    void everyMistakeIsReportedWithItsJsonPath() {
        List<String> p = problems("""
                { "port": "80", "prot": 1, "apps": [
                    { "name": "a", "path": "a.js" },
                    { "name": "b c", "hostnames": [42, "ok.test", "bad host", "x.*.test", "h:80"], "path": "missing.js",
                      "env": [], "limits": { "cpuMs": -1, "gpu": 1 } },
                    { "name": "a", "path": "b", "pathPrefix": "api" },
                    { "hostnames": "x" } ],
                  "defaultApp": "zzz", "admin": { "token": "" } }
                """);
        String all = String.join("\n", p);
        for (String expected : List.of(
                "port: must be an integer from 0 to 65535",
                "prot: unknown field",
                "apps[1].name: must be 1-64 letters",
                "apps[1].hostnames[0]: must be a string",
                "apps[1].hostnames[2]: \"bad host\" is not a host name",
                "apps[1].hostnames[3]: \"x.*.test\" is not a host name",
                "apps[1].hostnames[4]: \"h:80\" is not a host name",
                "apps[1].path: ",
                "apps[1].env: must be an object",
                "apps[1].limits.cpuMs: must be an integer from 1",
                "apps[1].limits.gpu: unknown field",
                "apps[2].pathPrefix: must be a URL path starting with '/'",
                "apps[3].name: is required",
                "apps[3].hostnames: must be an array",
                "apps[3].path: is required",
                "defaultApp: no app is named \"zzz\"",
                "admin.port: is required",
                "admin.token: must not be empty")) {
            assertTrue(all.contains(expected), "missing '" + expected + "' in:\n" + all);
        }
    }

    @Test
    void quotaLimitsAreReadAndCheckedAndDefaultWhenAbsent() throws Exception {
        AppLimits l = parse("""
                { "apps": [ { "name": "a", "path": "a.js",
                    "limits": { "maxConcurrent": 4, "consoleKb": 2, "idleMs": 1000 } } ] }
                """).apps().get(0).limits();
        assertEquals(new AppLimits(0, 0, 0, 0, 4, 2, 1000), l);
        assertEquals(4, l.concurrency());
        assertEquals(2048, l.consoleBytes());
        assertEquals(AppLimits.DEFAULT_CPU_MS * 1_000_000, AppLimits.DEFAULTS.cpuNanos(true));
        assertEquals(AppLimits.DEFAULT_CPU_MS * AppLimits.INTERPRETER_SLOWDOWN * 1_000_000, AppLimits.DEFAULTS.cpuNanos(false));
        assertEquals(AppLimits.DEFAULT_MEMORY_MB << 20, AppLimits.DEFAULTS.allocatedBytes());
        String all = String.join("\n", problems("""
                { "apps": [ { "name": "a", "path": "a.js",
                    "limits": { "maxConcurrent": 0, "consoleKb": "1", "idleMs": -5, "cpu": 1 } } ] }
                """));
        assertTrue(all.contains("apps[0].limits.maxConcurrent: must be an integer from 1"), all);
        assertTrue(all.contains("apps[0].limits.consoleKb: must be an integer"), all);
        assertTrue(all.contains("apps[0].limits.idleMs: must be an integer"), all);
        assertTrue(all.contains("apps[0].limits.cpu: unknown field"), all);
    }

    @Test
    void duplicateNamesAndRoutesAreRefused() {
        String all = String.join("\n", problems("""
                { "apps": [
                    { "name": "a", "hostnames": ["x.test"], "path": "a.js" },
                    { "name": "a", "hostnames": ["y.test"], "path": "a.js" },
                    { "name": "c", "hostnames": ["x.test"], "path": "b" },
                    { "name": "d", "path": "a.js" }, { "name": "e", "path": "b" } ] }
                """));
        assertTrue(all.contains("apps[1].name: \"a\" is already the name of apps[0]"), all);
        assertTrue(all.contains("apps[2].hostnames[0]: \"x.test\" with pathPrefix \"/\" is already routed to apps[0]"), all);
        assertTrue(all.contains("apps[4]: any host with pathPrefix \"/\" is already routed to apps[3]"), all);
    }

    @Test
    void cacheSettingsAreReadAndValidated() throws Exception {
        ServerConfig c = parse("""
                { "apps": [ { "name": "a", "hostnames": ["a.test"], "path": "a.js", "cache": { "dir": "c/a", "maxMb": 2 } },
                            { "name": "b", "hostnames": ["b.test"], "path": "a.js", "cache": { "maxMb": 0.5 } },
                            { "name": "d", "hostnames": ["d.test"], "path": "a.js" } ] }
                """);
        assertEquals(dir.resolve("c/a"), c.apps().get(0).cache().dir());
        assertEquals(2L << 20, c.apps().get(0).cache().maxBytes());
        assertEquals(null, c.apps().get(1).cache().dir());
        assertEquals(512L << 10, c.apps().get(1).cache().maxBytes());
        assertEquals(dev.nano.ext.cache.CacheSettings.DEFAULTS, c.apps().get(2).cache());
        String all = String.join("\n", problems("""
                { "apps": [ { "name": "a", "path": "a.js", "cache": { "dir": "", "maxMb": -1, "size": 1 } },
                            { "name": "b", "hostnames": ["b.test"], "path": "a.js", "cache": [] } ] }
                """));
        assertTrue(all.contains("apps[0].cache.dir: must not be empty"), all);
        assertTrue(all.contains("apps[0].cache.maxMb: must be a number greater than 0"), all);
        assertTrue(all.contains("apps[0].cache.size: unknown field"), all);
        assertTrue(all.contains("apps[1].cache: must be an object"), all);
    }

    @Test
    void invalidJsonIsReportedWithLineAndColumn() {
        List<String> p = problems("{\n  \"port\": 80,\n  \"apps\": [ }\n");
        assertEquals(1, p.size());
        assertTrue(p.get(0).contains("line 3"), p.get(0));
        List<String> dup = problems("{ \"port\": 1, \"port\": 2 }");
        assertTrue(dup.get(0).contains("Duplicate field 'port'"), dup.get(0));
        assertTrue(problems("[]").get(0).contains("(root): must be an object"));
    }

    @Test
    void appFoldersFindTheirEntryModule() throws Exception {
        Files.createDirectories(dir.resolve("m"));
        Files.writeString(dir.resolve("m/package.json"), "{\"main\": \"src/main.js\"}");
        Files.createDirectories(dir.resolve("m/src"));
        Files.writeString(dir.resolve("m/src/main.js"), "");
        assertEquals(dir.resolve("m/src/main.js"), AppEntry.resolve(dir.resolve("m")).module());
        assertEquals(dir.resolve("m"), AppEntry.resolve(dir.resolve("m")).root());
        Files.writeString(dir.resolve("m/nano.json"), "{\"main\": \"../a.js\"}");
        assertTrue(assertThrows(ConfigException.class, () -> AppEntry.resolve(dir.resolve("m"))).getMessage()
                .contains("outside the app folder"));
        Files.createDirectories(dir.resolve("empty"));
        assertTrue(assertThrows(ConfigException.class, () -> AppEntry.resolve(dir.resolve("empty"))).getMessage()
                .contains("no index.js"));
        assertEquals(dir, AppEntry.resolve(dir.resolve("a.js")).root());
    }
}
