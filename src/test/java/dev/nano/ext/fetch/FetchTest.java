package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * fetch() from a script context (no per-request limits) against a local upstream server: methods,
 * bodies both ways, streaming, decoding, redirects, abort, timeouts and errors.
 */
class FetchTest {
    private static Upstream up;

    @BeforeAll
    static void start() throws Exception {
        up = new Upstream();
    }

    @AfterAll
    static void stop() {
        up.close();
    }

    /** Runs {@code code} with {@code BASE} bound to the upstream's URL; returns what it printed. */
    static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("const BASE = '" + up.base() + "';\n" + code);
            assertEquals("[]", js.uncaught().toString(), "uncaught errors");
            return out;
        }
    }

    @Test
    void everyMethodAndEveryKindOfBodyReachesTheUpstream() {
        String out = run("""
                const echo = async (init) => {
                  const j = await (await fetch(BASE + '/echo', init)).json();
                  return `${j.method} ${j.headers['content-type'] ?? '-'} ${j.headers['content-length'] ?? '-'} ${j.body}`;
                };
                for (const method of ['GET', 'DELETE', 'OPTIONS', 'PATCH', 'put']) console.log(await echo({ method }));
                console.log(await echo({ method: 'POST', body: 'text é' }));
                console.log(await echo({ method: 'POST', body: new TextEncoder().encode('bytes').buffer }));
                console.log(await echo({ method: 'POST', body: new Uint16Array([0x6968]) }));
                console.log(await echo({ method: 'POST', body: new DataView(new TextEncoder().encode('xdvx').buffer, 1, 2) }));
                console.log(await echo({ method: 'POST', body: new Blob(['blob'], { type: 'x/y' }) }));
                console.log(await echo({ method: 'POST', body: new URLSearchParams({ a: '1', b: 'c d' }) }));
                const form = new FormData();
                form.append('field', 'value');
                const j = await (await fetch(BASE + '/echo', { method: 'POST', body: form })).json();
                const boundary = j.headers['content-type'].split('boundary=')[1];
                console.log(j.headers['content-type'].startsWith('multipart/form-data; boundary='),
                  j.body.includes(`--${boundary}\\r\\nContent-Disposition: form-data; name="field"\\r\\n\\r\\nvalue\\r\\n--${boundary}--`));
                const head = await fetch(BASE + '/text', { method: 'HEAD' });
                console.log(head.status, head.body, await head.text() === '');
                """);
        assertEquals("""
                GET - - \n\
                DELETE - 0 \n\
                OPTIONS - 0 \n\
                PATCH - 0 \n\
                PUT - 0 \n\
                POST text/plain;charset=UTF-8 7 text é
                POST - 5 bytes
                POST - 2 hi
                POST - 2 dv
                POST x/y 4 blob
                POST application/x-www-form-urlencoded;charset=UTF-8 9 a=1&b=c+d
                true true
                200 null true""", out);
    }

    @Test
    void headersGoOutAsGivenAndTheClientSetsHostAndLength() {
        String out = run("""
                const j = await (await fetch(BASE + '/echo', { method: 'POST', body: 'abc',
                  headers: { 'X-Custom': 'one', 'Content-Length': '999', Host: 'evil.example', 'User-Agent': 'mine/1' } })).json();
                const h = j.headers;
                console.log(h['x-custom'], h['content-length'], h.host === BASE.slice(7), h['user-agent'], h['accept'], h['accept-encoding']);
                const d = await (await fetch(BASE + '/echo')).json();
                console.log(d.headers['user-agent'].startsWith('NANO/'));
                """);
        assertEquals("one 3 true mine/1 */* gzip, deflate, br\ntrue", out);
    }

    @Test
    void aStreamedUploadIsSentChunkedAsTheStreamProducesIt() {
        String out = run("""
                let pulls = 0;
                const chunk = new Uint8Array(64 * 1024);
                const stream = new ReadableStream({
                  pull(c) { if (++pulls > 160) c.close(); else c.enqueue(chunk.slice()); },
                }, { highWaterMark: 0 });
                const r = await fetch(BASE + '/upload', { method: 'POST', body: stream, duplex: 'half' });
                console.log(await r.text(), pulls);
                """);
        assertEquals("10485760 161", out);
        assertEquals("chunked", up.lastUploadEncoding);
    }

    @Test
    void aResponseBodyIsReadableChunkByChunkBeforeItEnds() {
        up.gate = new java.util.concurrent.CountDownLatch(1);
        String out = run("""
                const r = await fetch(BASE + '/gated');
                const reader = r.body.getReader();
                const dec = new TextDecoder();
                const first = await reader.read();
                console.log(dec.decode(first.value));
                await (await fetch(BASE + '/release')).text(); // only now does the upstream send the rest
                let rest = '';
                for (;;) { const { value, done } = await reader.read(); if (done) break; rest += dec.decode(value); }
                console.log(rest);
                """);
        assertEquals("before-\nafter", out);
    }

    @Test
    void gzipDeflateAndBrotliBodiesAreDecoded() {
        String out = run("""
                for (const coding of ['gzip', 'deflate', 'br']) {
                  const r = await fetch(BASE + `/${coding}?body=abc&times=3000`);
                  const text = await r.text();
                  console.log(coding, text.length, text.slice(0, 6), r.headers.get('content-encoding'), r.headers.get('content-length'));
                }
                """);
        assertEquals("gzip 9000 abcabc null null\ndeflate 9000 abcabc null null\nbr 9000 abcabc null null", out);
    }

    @Test
    void getReturnsStatusHeadersAndBody() {
        String out = run("""
                const p = fetch(BASE + '/text?body=hi');
                console.log(p instanceof Promise);
                const r = await p;
                console.log(r.status, r.statusText, r.ok, r.type, r.redirected, r.url === BASE + '/text?body=hi');
                console.log(r.headers.get('content-type'), await r.text());
                """);
        assertEquals("true\n200 OK true basic false true\ntext/plain hi", out);
    }
}
