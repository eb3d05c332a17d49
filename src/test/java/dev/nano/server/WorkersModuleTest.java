package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 'cloudflare:workers' module: the app's env at the top level of its modules, and a class-based
 * entry point (an instance per request, with ctx and env); what it does not provide fails the app's
 * load with a message naming the missing export.
 */
class WorkersModuleTest {
    static final String NANO_JSON = """
            { "port": 0, "workers": 1,
              "apps": [
                { "name": "cls", "hostnames": ["cls.test"], "path": "cls/index.js", "env": { "GREETING": "hello" } },
                { "name": "top", "hostnames": ["top.test"], "path": "top/index.js", "env": { "GREETING": "bonjour" } },
                { "name": "missing", "hostnames": ["missing.test"], "path": "missing.js" }
              ] }
            """;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.config("nano.json", NANO_JSON,
                "cls/index.js", """
                        import { WorkerEntrypoint } from 'cloudflare:workers';
                        let instances = 0;
                        export default class extends WorkerEntrypoint {
                          constructor(ctx, env) { super(ctx, env); instances++; }
                          async fetch(request) {
                            this.ctx.waitUntil(Promise.resolve());
                            return new Response(`${this.env.GREETING} ${new URL(request.url).pathname} #${instances}`);
                          }
                        }
                        """,
                "top/index.js", """
                        import { env } from 'cloudflare:workers';
                        import { fromLib } from './lib.js';
                        const atTop = env.GREETING; // read while the module is evaluated
                        export default { fetch: (request, env2) => Response.json({ atTop, fromLib, same: env === env2 }) };
                        """,
                "top/lib.js", """
                        import { env } from 'cloudflare:workers';
                        export const fromLib = env.GREETING.toUpperCase();
                        """,
                "missing.js", """
                        import { DurableObject } from 'cloudflare:workers';
                        export default { fetch: () => new Response('never') };
                        """);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void aClassEntryPointGetsAnInstancePerRequestWithEnvAndCtx() throws Exception {
        assertEquals("hello /a #1", t.get("cls.test", "/a").body());
        assertEquals("hello /b #2", t.get("cls.test", "/b").body());
    }

    @Test
    void envIsImportableAtTheTopLevelOfEveryModule() throws Exception {
        var r = t.get("top.test", "/");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"atTop\":\"bonjour\",\"fromLib\":\"BONJOUR\",\"same\":true}", r.body());
    }

    @Test
    void anExportNanoDoesNotHaveFailsTheLoadNamingIt() throws Exception {
        var r = t.get("missing.test", "/");
        assertEquals(503, r.statusCode());
        var error = t.awaitLog("error", "DurableObject");
        assertTrue(error.get("message").asText().contains("cloudflare:workers"), error.toString());
    }
}
