package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** Request (Fetch §5.4): init members, validation, body rules, copying from a Request, clone. */
class RequestTest {
    private static String run(String code) {
        return HeadersTest.run(code);
    }

    @Test
    void defaultsAndInitMembers() {
        String out = run("""
                const r = new Request('https://example.com/a/../b?q#frag');
                console.log(r.url, r.method, r.mode, r.credentials, r.cache, r.redirect, r.referrer, JSON.stringify(r.referrerPolicy),
                  JSON.stringify(r.integrity), r.keepalive, JSON.stringify(r.destination), r.duplex, r.body, r.bodyUsed, r.cf,
                  r.isReloadNavigation, r.isHistoryNavigation, r.signal.aborted, r.signal === r.signal);
                const o = new Request('https://example.com/', { method: 'post', headers: [['X-A', '1']], body: 'b', mode: 'same-origin',
                  credentials: 'omit', cache: 'no-store', redirect: 'manual', referrer: '', referrerPolicy: 'origin',
                  integrity: 'sha256-x', keepalive: true, window: null });
                console.log(o.method, o.mode, o.credentials, o.cache, o.redirect, JSON.stringify(o.referrer), o.referrerPolicy, o.integrity,
                  o.keepalive, JSON.stringify([...o.headers]));
                console.log(new Request('https://example.com/', { referrer: 'https://ref.example/x' }).referrer);
                """);
        assertEquals("""
                https://example.com/b?q#frag GET cors same-origin default follow about:client "" "" false "" half null false undefined false false false true
                POST same-origin omit no-store manual "" origin sha256-x true [["content-type","text/plain;charset=UTF-8"],["x-a","1"]]
                https://ref.example/x""", out);
    }

    @Test
    void methodsAreValidatedAndNormalized() {
        String out = run("""
                const m = (method) => { try { return new Request('https://x.test/', { method }).method; } catch (e) { return e.constructor.name; } };
                console.log(['get', 'Post', 'pUt', 'delete', 'options', 'head', 'patch', 'CUSTOM', 'connect', 'TRACE', 'track',
                  'bad method', '', 'caf\\u00e9', '\\u0100'].map(m).join(' '));
                """);
        assertEquals("GET POST PUT DELETE OPTIONS HEAD patch CUSTOM TypeError TypeError TypeError TypeError TypeError TypeError TypeError", out);
    }

    @Test
    void invalidInputsAreTypeErrors() {
        String out = run("""
                const attempts = [
                  () => new Request('/relative'),
                  () => new Request('not a url'),
                  () => new Request('https://user:pass@example.com/'),
                  () => new Request('https://x.test/', { body: 'x' }),
                  () => new Request('https://x.test/', { method: 'HEAD', body: new Uint8Array(1) }),
                  () => new Request('https://x.test/', { mode: 'navigate' }),
                  () => new Request('https://x.test/', { mode: 'bogus' }),
                  () => new Request('https://x.test/', { redirect: 'nope' }),
                  () => new Request('https://x.test/', { cache: 'only-if-cached' }),
                  () => new Request('https://x.test/', { window: {} }),
                  () => new Request('https://x.test/', { signal: {} }),
                  () => new Request('https://x.test/', { duplex: 'full' }),
                  () => new Request('https://x.test/', { referrer: '/rel' }),
                  () => new Request('https://x.test/', { method: 'PUT', mode: 'no-cors' }),
                  () => new Request('https://x.test/', 1),
                  () => new Request(),
                  () => Request('https://x.test/'),
                ];
                console.log(attempts.map((f) => { try { f(); return 'ok'; } catch (e) { return e.constructor.name; } }).join(' '));
                try { new Request('https://x.test/', { method: 'GET', body: 'x' }); } catch (e) { console.log(e.message); }
                """);
        assertEquals("TypeError ".repeat(17).trim() + "\nFailed to construct 'Request': a GET request cannot have a body", out);
    }

    @Test
    void aRequestMadeFromAnotherTakesItsBodyAndCopiesTheRest() {
        String out = run("""
                const a = new Request('https://x.test/p', { method: 'POST', headers: { 'X-A': '1' }, body: 'payload', redirect: 'manual' });
                const b = new Request(a);
                console.log(a.bodyUsed, b.bodyUsed, b.method, b.url, b.redirect, b.headers.get('x-a'), b.headers !== a.headers);
                console.log(await b.text());
                try { new Request(a); } catch (e) { console.log('used input', e.constructor.name); }
                const c = new Request(a, { body: 'fresh' }); // a new body does not need the used one
                console.log(await c.text(), c.headers.get('x-a'));
                const d = new Request(new Request('https://x.test/', { headers: { 'X-A': '1' } }), { headers: { 'X-B': '2' } });
                console.log(JSON.stringify([...d.headers]));
                const e = new Request(new Request('https://x.test/', { method: 'POST', body: 'x' }), { method: 'PUT' });
                console.log(e.method, await e.text());
                try { new Request(new Request('https://x.test/', { method: 'POST', body: 'x' }), { method: 'GET' }); } catch (x) { console.log('get', x.constructor.name); }
                """);
        assertEquals("""
                true false POST https://x.test/p manual 1 true
                payload
                used input TypeError
                fresh 1
                [["x-b","2"]]
                PUT x
                get TypeError""", out);
    }

    @Test
    void cloneCopiesTheBodyAndHeaders() {
        String out = run("""
                const r = new Request('https://x.test/', { method: 'PUT', headers: { a: '1' }, body: new Uint8Array([1, 2, 3]) });
                const c = r.clone();
                c.headers.set('a', '2');
                console.log(r.headers.get('a'), c.headers.get('a'), c.method, c.url);
                const [x, y] = await Promise.all([r.bytes(), c.arrayBuffer()]);
                x[0] = 9;
                console.log([...x].join(), [...new Uint8Array(y)].join());
                try { r.clone(); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("1 2 PUT https://x.test/\n9,2,3 1,2,3\nTypeError", out);
    }

    @Test
    void signalFollowsTheInitSignal() {
        String out = run("""
                const ac = new AbortController();
                const r = new Request('https://x.test/', { signal: ac.signal });
                const s = r.signal;
                console.log(s instanceof AbortSignal, s !== ac.signal, s.aborted);
                ac.abort('why');
                console.log(s.aborted, s.reason, r.clone().signal.aborted, new Request(r).signal.reason);
                const pre = AbortSignal.abort('early');
                console.log(new Request('https://x.test/', { signal: pre }).signal.reason);
                """);
        assertEquals("true true false\ntrue why true why\nearly", out);
    }

    @Test
    void internalAccessorsForTheServer() {
        try (JsHarness js = new JsHarness()) {
            Value internal = js.runtime().internal();
            Value fetch = internal.getMember("fetch");
            Value req = fetch.getMember("newRequest").execute("post", "https://x.test/path",
                    js.eval("['Content-Type', 'text/plain', 'X-Dup', 'a', 'x-dup', 'b']"), js.eval("new Uint8Array([104, 105])"));
            js.eval("globalThis.check = async (r) => console.log(r.method, r.url, r.headers.get('x-dup'), r.headers.get('content-type'), await r.text(), r.bodyUsed)");
            js.loop().execute(() -> js.eval("check").execute(req));
            js.loop().runUntilIdle();
            Value parts = fetch.getMember("requestParts").execute(
                    js.eval("new Request('https://x.test/', { method: 'PATCH', headers: { a: '1' }, body: 'str' })"));
            assertEquals("PATCH", parts.getMember("method").asString());
            assertEquals("str", parts.getMember("body").asString());
            Value list = parts.getMember("headerList");
            StringBuilder flat = new StringBuilder();
            for (long i = 0; i < list.getArraySize(); i++) flat.append(list.getArrayElement(i).asString()).append(' ');
            assertEquals("a 1 content-type text/plain;charset=UTF-8 ", flat.toString());
            assertEquals("POST https://x.test/path a, b text/plain hi true", String.join("\n", js.stdout()));
            assertEquals("[]", js.uncaught().toString());
        }
    }

    @Test
    void webIdlShape() {
        String out = run("""
                console.log(Request.length, Object.prototype.toString.call(new Request('https://x.test/')));
                console.log(Object.keys(Request.prototype).join());
                try { Object.getOwnPropertyDescriptor(Request.prototype, 'url').get.call({}); } catch (e) { console.log(e.constructor.name); }
                Request.prototype.text.call(new Response('x')).catch((e) => console.log('brand', e.constructor.name));
                """);
        assertEquals("""
                1 [object Request]
                method,url,headers,destination,referrer,referrerPolicy,mode,credentials,cache,redirect,integrity,keepalive,isReloadNavigation,isHistoryNavigation,duplex,signal,cf,clone,body,bodyUsed,arrayBuffer,blob,bytes,formData,json,text
                TypeError
                brand TypeError""", out);
    }
}
