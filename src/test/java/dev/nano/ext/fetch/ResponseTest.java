package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** Response (Fetch §5.5): constructor checks, json/redirect/error, clone, Workers' webSocket. */
class ResponseTest {
    private static String run(String code) {
        return HeadersTest.run(code);
    }

    @Test
    void defaultsAndInit() {
        String out = run("""
                const r = new Response();
                console.log(r.status, r.ok, JSON.stringify(r.statusText), r.type, JSON.stringify(r.url), r.redirected, r.body, r.bodyUsed, r.webSocket);
                const s = new Response('x', { status: 404, statusText: 'Not Found', headers: { 'X-A': '1' } });
                console.log(s.status, s.ok, s.statusText, JSON.stringify([...s.headers]));
                s.headers.append('x-b', '2'); // the "response" guard allows changes
                console.log(s.headers.get('x-b'), new Response(null, { status: 299 }).ok, new Response(null, { status: 300 }).ok);
                """);
        assertEquals("""
                200 true "" default "" false null false null
                404 false Not Found [["content-type","text/plain;charset=UTF-8"],["x-a","1"]]
                2 true false""", out);
    }

    @Test
    void statusStatusTextAndNullBodyStatusesAreChecked() {
        String out = run("""
                const t = (body, init) => { try { new Response(body, init); return 'ok'; } catch (e) { return e.constructor.name; } };
                console.log([199, 600, 0, 101, 65736].map((status) => t(null, { status })).join(' '));
                console.log([101, 103, 204, 205, 304].map((status) => t('body', { status })).join(' '), t(null, { status: 204 }), t('', { status: 200 }));
                console.log(['OK', 'a\\tb', 'caf\\u00e9', 'a\\nb', 'x\\u0100', '\\u007f'].map((statusText) => t(null, { statusText })).join(' '));
                console.log(t(null, 5), t(null, 'x'), t(null, null));
                console.log(new Response(null, { status: 101, webSocket: {} }).status);
                """);
        assertEquals("""
                RangeError RangeError RangeError RangeError ok
                RangeError RangeError TypeError TypeError TypeError ok ok
                ok ok ok TypeError TypeError TypeError
                TypeError TypeError ok
                101""", out);
    }

    @Test
    void jsonRedirectAndError() {
        String out = run("""
                const j = Response.json({ a: [1, 'é'] }, { status: 201, headers: { 'content-type': 'application/vnd+json' } });
                console.log(j.status, j.headers.get('content-type'), await j.text());
                console.log(Response.json('x').headers.get('content-type'));
                try { Response.json(undefined); } catch (e) { console.log(e.constructor.name); }
                try { Response.json(1n); } catch (e) { console.log(e.constructor.name); }
                try { Response.json({}, { status: 204 }); } catch (e) { console.log(e.constructor.name); }
                const r = Response.redirect('https://example.com/a b', 301);
                console.log(r.status, r.headers.get('location'), r.body, Response.redirect('https://x.test/').status);
                try { r.headers.set('location', '/x'); } catch (e) { console.log('immutable', e.constructor.name); }
                try { Response.redirect('https://x.test/', 200); } catch (e) { console.log(e.constructor.name); }
                try { Response.redirect('/relative'); } catch (e) { console.log(e.constructor.name); }
                const e = Response.error();
                console.log(e.type, e.status, JSON.stringify(e.statusText), e.ok, e.body, [...e.headers].length);
                try { e.headers.append('a', 'b'); } catch (x) { console.log('immutable', x.constructor.name); }
                console.log(e.clone().type);
                try { e.clone().headers.append('a', 'b'); } catch (x) { console.log('clone immutable', x.constructor.name); }
                """);
        assertEquals("""
                201 application/vnd+json {"a":[1,"é"]}
                application/json
                TypeError
                TypeError
                TypeError
                301 https://example.com/a%20b null 302
                immutable TypeError
                RangeError
                TypeError
                error 0 "" false null 0
                immutable TypeError
                error
                clone immutable TypeError""", out);
    }

    @Test
    void cloneTeesTheBody() {
        String out = run("""
                const r = new Response(new Blob(['shared']), { status: 202, statusText: 'Acc', headers: { a: '1' } });
                const c = r.clone();
                console.log(c.status, c.statusText, c.headers.get('a'), c.headers !== r.headers);
                console.log(await r.text(), await c.text(), r.bodyUsed, c.bodyUsed);
                const b = new Response(new Uint8Array([1, 2]));
                const bc = b.clone();
                const bytes = await b.bytes();
                bytes[0] = 7;
                console.log([...await bc.bytes()].join());
                """);
        assertEquals("202 Acc 1 true\nshared shared true true\n1,2", out);
    }

    @Test
    void responsePartsGiveTheServerStatusHeadersAndBodyWithoutPromises() {
        try (JsHarness js = new JsHarness()) {
            Value fetch = js.runtime().internal().getMember("fetch");
            Value parts = fetch.getMember("responseParts").execute(
                    js.eval("new Response('hi', { status: 201, statusText: 'Made', headers: [['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']] })"));
            assertEquals(201, parts.getMember("status").asInt());
            assertEquals("Made", parts.getMember("statusText").asString());
            assertEquals("hi", parts.getMember("body").asString());
            Value list = parts.getMember("headerList");
            StringBuilder flat = new StringBuilder();
            for (long i = 0; i < list.getArraySize(); i++) flat.append(list.getArrayElement(i).asString()).append('|');
            assertEquals("set-cookie|a=1|set-cookie|b=2|content-type|text/plain;charset=UTF-8|", flat.toString());

            Value bytes = fetch.getMember("responseParts").execute(js.eval("new Response(new Uint8Array([1, 2, 3]))")).getMember("body");
            assertEquals(3, bytes.getArraySize());
            Value empty = fetch.getMember("responseParts").execute(js.eval("new Response(null, { status: 204 })"));
            assertEquals(true, empty.getMember("body").isNull());
            Value blob = fetch.getMember("responseParts").execute(js.eval("globalThis.res = new Response(new Blob(['abc'])); res")).getMember("body");
            assertEquals(3, fetch.getMember("blobBytes").execute(blob).getArraySize());
            assertEquals(true, js.eval("res.bodyUsed").asBoolean());
        }
    }

    @Test
    void webIdlShape() {
        String out = run("""
                console.log(Response.length, Response.json.length, Response.redirect.length, Object.keys(Response).join());
                console.log(Object.keys(Response.prototype).join());
                try { Response.prototype.clone.call({}); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("""
                0 1 1 error,redirect,json
                type,url,redirected,status,ok,statusText,headers,webSocket,clone,body,bodyUsed,arrayBuffer,blob,bytes,formData,json,text
                TypeError""", out);
    }
}
