package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an app's JS must not reach, tried from inside a served app: Java and the polyglot API, host
 * classes, files outside its folder, threads, processes, the environment, and another app's globals,
 * built-ins, env and module state. Each probe reports what it got; every one must have failed.
 */
class SandboxTest {
    static final String NANO_JSON = """
            { "port": 0, "workers": 1,
              "apps": [
                { "name": "probe", "hostnames": ["probe.test"], "path": "apps/probe.js", "env": { "MINE": "probe" } },
                { "name": "other", "hostnames": ["other.test"], "path": "apps/other.js", "env": { "SECRET": "other's" } }
              ] }
            """;
    static final String PROBE = """
            import { next } from './counter.js';

            async function attempt(f) {
              try {
                const v = await f();
                return v === undefined ? 'undefined' : 'reached: ' + String(v).slice(0, 80);
              } catch (e) {
                return 'refused: ' + (e && e.message ? e.message.slice(0, 400) : String(e));
              }
            }

            export default {
              async fetch(request, env) {
                const path = new URL(request.url).pathname;
                if (path === '/count') return new Response(String(next()));
                const r = {};
                for (const name of ['Java', 'Polyglot', 'Packages', 'java', 'javax', 'com', 'load', 'loadWithNewGlobal',
                                    'print', 'printErr', 'quit', 'exit', 'read', 'readFully', 'readline', 'readbuffer',
                                    'Graal', 'require', 'process', 'Deno', 'Bun', 'module', 'exports', 'Worker',
                                    'SharedWorker', 'importScripts', 'arguments', 'ops', 'internal', 'primordials']) {
                  r['global ' + name] = await attempt(() => globalThis[name]);
                }
                r['Java.type'] = await attempt(() => Java.type('java.lang.Runtime').getRuntime().exec('id'));
                r['Polyglot.eval'] = await attempt(() => Polyglot.eval('js', '1'));
                r['Packages.java'] = await attempt(() => Packages.java.lang.System.getenv('PATH'));
                r['import /etc/passwd'] = await attempt(() => import('/etc/passwd'));
                r['import ../outside.js'] = await attempt(async () => (await import('../outside.js')).secret);
                r['import file:///etc/hostname'] = await attempt(() => import('file:///etc/hostname'));
                r['import node:fs'] = await attempt(() => import('node:fs'));
                r['import node:child_process'] = await attempt(() => import('node:child_process'));
                r['import https://example.com'] = await attempt(() => import('https://example.com/x.js'));
                r['eval import'] = await attempt(() => (0, eval)('import("/etc/passwd")'));
                r['Function host'] = await attempt(() => Function('return this')().Java);
                r['fetch file:'] = await attempt(async () => (await fetch('file:///etc/passwd')).status);
                r['env keys'] = 'keys: ' + Object.keys(env).join(',');
                r['other app global'] = await attempt(() => globalThis.otherLeak);
                r['other app built-in'] = await attempt(() => Array.prototype.otherEvil);
                r['other app JSON.stringify'] = await attempt(() => JSON.stringify({ a: 1 }) === '{"a":1}' ? undefined : 'patched');
                return Response.json(r);
              },
            };
            """;
    static final String OTHER = """
            import { next } from './counter.js';
            globalThis.otherLeak = 'leaked';
            Array.prototype.otherEvil = 'evil';
            JSON.stringify = () => 'patched';
            export default {
              fetch(request, env) {
                return new Response(String(next()) + ' ' + env.SECRET);
              },
            };
            """;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.config("nano.json", NANO_JSON, "apps/probe.js", PROBE, "apps/other.js", OTHER,
                "apps/counter.js", "let n = 0;\nexport const next = () => ++n;\n",
                "outside.js", "export const secret = 'outside the app folder';\n");
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void everyEscapeIsRefused() throws Exception {
        assertTrue(t.get("other.test", "/").body().endsWith(" other's")); // other has run and patched its own world
        JsonNode r = TestServer.JSON.readTree(t.get("probe.test", "/").body());
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String got = e.getValue().asText();
            if (e.getKey().equals("env keys")) {
                assertEquals("keys: MINE", got, "env holds only the app's own variables");
                continue;
            }
            assertFalse(got.startsWith("reached"), e.getKey() + " -> " + got);
        }
        // the failures say why, not just that something broke
        assertTrue(r.get("import ../outside.js").asText().contains("outside.js"), r.toString());
        assertTrue(r.get("Java.type").asText().contains("Java is not defined"), r.toString());
        // a dynamic import of a URL is refused by NANO with its reason (not GraalJS's "Socket IO is not allowed")
        assertTrue(r.get("import node:fs").asText().contains("NANO has no Node.js built-in modules"), r.toString());
        assertTrue(r.get("import https://example.com").asText().contains("only relative ('./x.js') and absolute file imports"),
                r.toString());
    }

    @Test
    void moduleStateIsPerAppEvenForTheSameFile() throws Exception {
        int other = Integer.parseInt(t.get("other.test", "/").body().split(" ")[0]);
        for (int i = 0; i < 3; i++) {
            t.get("probe.test", "/count");
        }
        // both import the same counter.js file; the probe's three calls did not move other's count
        assertEquals(other + 1, Integer.parseInt(t.get("other.test", "/").body().split(" ")[0]));
    }
}
