package dev.nano.ext.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** The Cache API in one context (no server): the Service Workers operations and Workers' HTTP rules. */
class CacheApiTest {
    private static String run(String code) {
        return JsHarness.runChecked(code);
    }

    @Test
    void putMatchRoundTripWithHeadersAndBodies() {
        String out = run("""
                const c = await caches.open('v1');
                await c.put('https://x.test/a', new Response('hello', { headers: { 'x-id': '1', 'content-type': 'text/x' } }));
                await c.put(new Request('https://x.test/b'), new Response(new Uint8Array([1, 2, 3])));
                await c.put('https://x.test/blob', new Response(new Blob(['bl', 'ob'])));
                await c.put('https://x.test/stream', new Response(new ReadableStream({
                  start(ctl) { ctl.enqueue(new TextEncoder().encode('str')); ctl.enqueue(new TextEncoder().encode('eam')); ctl.close(); } })));
                await c.put('https://x.test/empty', new Response(null, { status: 204 }));
                const a = await c.match('https://x.test/a');
                console.log(a.status, a.headers.get('x-id'), a.headers.get('content-type'), await a.text());
                console.log(new Uint8Array(await (await c.match('https://x.test/b')).arrayBuffer()).join());
                console.log(await (await c.match('https://x.test/blob')).text(), await (await c.match('https://x.test/stream')).text());
                const e = await c.match('https://x.test/empty');
                console.log(e.status, e.body);
                console.log(await c.match('https://x.test/none'), await c.match('https://x.test/a#frag') !== undefined);
                try { a.headers.set('x', 'y'); } catch (err) { console.log(err.constructor.name); }
                """);
        assertEquals("200 1 text/x hello\n1,2,3\nblob stream\n204 null\nundefined true\nTypeError", out);
    }

    @Test
    void largeBodiesStreamOutInPieces() {
        String out = run("""
                const big = new Uint8Array(300_000); for (let i = 0; i < big.length; i++) big[i] = i % 251;
                await caches.default.put('https://x.test/big', new Response(big));
                const r = await caches.default.match('https://x.test/big');
                console.log(r.body instanceof ReadableStream);
                const got = new Uint8Array(await r.arrayBuffer());
                let same = got.length === big.length; for (let i = 0; same && i < got.length; i++) same = got[i] === big[i];
                console.log(got.length, same);
                """);
        assertEquals("true\n300000 true", out);
    }

    @Test
    void optionsVaryDeleteKeysAndStorage() {
        String out = run("""
                const c = await caches.open('v');
                await c.put(new Request('https://x.test/p?q=1', { headers: { accept: 'text/html' } }),
                  new Response('html', { headers: { vary: 'Accept' } }));
                console.log(await c.match(new Request('https://x.test/p?q=1', { headers: { accept: 'text/html' } })) !== undefined);
                console.log(await c.match(new Request('https://x.test/p?q=1', { headers: { accept: 'application/json' } })));
                console.log(await c.match(new Request('https://x.test/p?q=1'), { ignoreVary: true }) !== undefined);
                console.log(await c.match('https://x.test/p?q=2'), await c.match('https://x.test/p', { ignoreSearch: true, ignoreVary: true }) !== undefined);
                console.log(await c.match(new Request('https://x.test/p?q=1', { method: 'POST' })));
                console.log(await c.match(new Request('https://x.test/p?q=1', { method: 'POST' }), { ignoreMethod: true, ignoreVary: true }) !== undefined);
                await c.put('https://x.test/q', new Response('q'));
                console.log((await c.keys()).map((r) => r.url).join(), (await c.matchAll()).length);
                console.log(await c.delete('https://x.test/q'), await c.delete('https://x.test/q'), (await c.keys()).length);
                try { await c.put(new Request('https://x.test/', { method: 'POST' }), new Response('')); } catch (e) { console.log(e.name); }
                try { await c.put('https://x.test/', new Response('', { status: 206 })); } catch (e) { console.log(e.name, e.message); }
                try { await c.put('https://x.test/', new Response('', { headers: { vary: 'a, *' } })); } catch (e) { console.log(e.name); }
                const used = new Response('u'); await used.text();
                try { await c.put('https://x.test/', used); } catch (e) { console.log(e.name); }
                await caches.open('w');
                console.log((await caches.keys()).join(), await caches.has('v'), await caches.has('zz'));
                console.log(await caches.match(new Request('https://x.test/p?q=1', { headers: { accept: 'text/html' } })) !== undefined);
                console.log(await caches.match('https://x.test/p?q=1', { cacheName: 'w' }));
                console.log(await caches.delete('v'), await caches.delete('v'), (await caches.keys()).join());
                console.log(await c.match(new Request('https://x.test/p?q=1', { headers: { accept: 'text/html' } })));
                console.log(caches.default === caches.default, caches instanceof CacheStorage, c instanceof Cache);
                try { new Cache(); } catch (e) { console.log(e.name); }
                """);
        assertEquals("""
                true
                undefined
                true
                undefined true
                undefined
                true
                https://x.test/p?q=1,https://x.test/q 2
                true false 1
                TypeError
                TypeError Failed to execute 'put' on 'Cache': a 206 Partial Content response cannot be stored
                TypeError
                TypeError
                v,w true false
                true
                undefined
                true false w
                undefined
                true true true
                TypeError""", out);
    }

    @Test
    void addAndAddAllFetchThenStoreAllOrNothing() {
        String out = run("""
                const c = await caches.open('add');
                delete globalThis.fetch; // the app's own fetch() below stands in for the network
                try { await c.add('https://x.test/a'); } catch (e) { console.log(e.name, e.message); }
                globalThis.fetch = async (req) => new Response('fetched ' + req.url,
                  { status: req.url.endsWith('/missing') ? 404 : 200 });
                await c.add('https://x.test/a');
                console.log(await (await c.match('https://x.test/a')).text());
                try { await c.addAll(['https://x.test/b', 'https://x.test/missing']); } catch (e) { console.log(e.name); }
                console.log(await c.match('https://x.test/b'));
                await c.addAll(['https://x.test/b', new Request('https://x.test/c')]);
                console.log((await c.keys()).length);
                """);
        assertEquals("TypeError Failed to execute 'addAll' on 'Cache': fetch() is not available in this runtime\n"
                + "fetched https://x.test/a\nTypeError\nundefined\n3", out);
    }

    @Test
    void httpFreshnessDecidesWhatIsStoredAndForHowLong() {
        String out = run("""
                const c = caches.default;
                const put = (path, headers) => c.put('https://x.test' + path, new Response(path, { headers }));
                await put('/nostore', { 'cache-control': 'no-store' });
                await put('/private', { 'cache-control': 'private' });
                await put('/cookie', { 'set-cookie': 'a=1' });
                await put('/cookie-ok', { 'set-cookie': 'a=1', 'cache-control': 'private=Set-Cookie, max-age=60' });
                await put('/zero', { 'cache-control': 'max-age=0' });
                await put('/s', { 'cache-control': 'max-age=0, s-maxage=60' });
                await put('/expired', { expires: 'Thu, 01 Jan 1970 00:00:00 GMT' });
                await put('/badexpires', { expires: '0' });
                await put('/future', { expires: new Date(Date.now() + 3600_000).toUTCString() });
                await put('/short', { 'cache-control': 'max-age=1' });
                await put('/aged', { 'cache-control': 'max-age=100', age: '100' });
                const has = async (p) => (await c.match('https://x.test' + p)) !== undefined;
                console.log(await has('/nostore'), await has('/private'), await has('/cookie'), await has('/zero'),
                  await has('/expired'), await has('/badexpires'), await has('/aged'));
                const ok = await c.match('https://x.test/cookie-ok');
                console.log(ok.headers.get('set-cookie'), await has('/s'), await has('/future'), await has('/short'));
                await new Promise((resolve) => setTimeout(resolve, 1100));
                console.log(await has('/short'), await has('/s'));
                """);
        assertEquals("false false false false false false false\nnull true true true\nfalse true", out);
    }

    @Test
    void conditionalAndRangeRequests() {
        String out = run("""
                const c = caches.default;
                await c.put('https://x.test/r', new Response('0123456789', { headers: {
                  etag: '"v1"', 'last-modified': 'Tue, 01 Jan 2030 00:00:00 GMT', 'content-type': 'text/plain' } }));
                const m = (h) => c.match(new Request('https://x.test/r', { headers: h }));
                let r = await m({ 'if-none-match': '"v0", W/"v1"' });
                console.log(r.status, r.headers.get('etag'), r.body);
                console.log((await m({ 'if-none-match': '"v2"' })).status, (await m({ 'if-none-match': '*' })).status);
                console.log((await m({ 'if-modified-since': 'Wed, 02 Jan 2030 00:00:00 GMT' })).status,
                  (await m({ 'if-modified-since': 'Mon, 31 Dec 2029 00:00:00 GMT' })).status);
                r = await m({ range: 'bytes=2-4' });
                console.log(r.status, r.headers.get('content-range'), r.headers.get('content-length'), await r.text());
                r = await m({ range: 'bytes=-3' });
                console.log(r.status, r.headers.get('content-range'), await r.text());
                r = await m({ range: 'bytes=7-' });
                console.log(r.status, await r.text());
                r = await m({ range: 'bytes=20-30' });
                console.log(r.status, r.headers.get('content-range'), await r.text());
                r = await m({ range: 'bytes=10-' });
                console.log(r.status);
                r = await m({ range: 'bytes=0-1,3-4' });
                console.log(r.status, await r.text());
                """);
        assertEquals("""
                304 "v1" null
                200 304
                304 200
                206 bytes 2-4/10 3 234
                206 bytes 7-9/10 789
                206 789
                416 bytes */10\s
                416
                200 0123456789""", out);
    }
}
