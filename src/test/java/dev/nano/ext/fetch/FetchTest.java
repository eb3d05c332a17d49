package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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
    void a100MiBUploadIsPulledOnlyAsFastAsTheUpstreamReadsIt() {
        String out = run("""
                const CHUNK = 64 * 1024;
                const CHUNKS = 1600; // 100 MiB
                let pulled = 0;
                let ahead = 0; // the most bytes produced beyond what the upstream had read
                const stream = new ReadableStream({
                  async pull(c) {
                    if (pulled === CHUNKS) return c.close();
                    if (pulled % 100 === 50) { // ask the upstream how far it got
                      const got = Number(await (await fetch(BASE + '/progress')).text());
                      ahead = Math.max(ahead, pulled * CHUNK - got);
                    }
                    pulled++;
                    c.enqueue(new Uint8Array(CHUNK));
                  },
                }, { highWaterMark: 0 });
                const r = await fetch(BASE + '/upload', { method: 'POST', body: stream, duplex: 'half' });
                console.log(await r.text());
                console.log(ahead < 16 * 1024 * 1024 ? 'bounded' : `ran ahead by ${ahead} bytes`);
                """);
        assertEquals("104857600\nbounded", out);
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
    void aBodyThatCompressesAThousandfoldIsDecodedWhole() {
        // 3 MB of one letter gzip to ~3 KB, which arrives in one piece: more than the decoder's 1 MB
        // buffer from a single piece, which must not fail the body
        String out = run("""
                for (const coding of ['gzip', 'deflate']) {
                  const r = await fetch(BASE + `/${coding}?body=a&times=3000000`);
                  const text = await r.text();
                  console.log(coding, text.length, /^a*$/.test(text));
                }
                """);
        assertEquals("gzip 3000000 true\ndeflate 3000000 true", out);
    }

    @Test
    void redirectsAreFollowedWithTheFetchStandardsMethodAndBodyRules() {
        String out = run("""
                const hop = (code, to = '/echo') => `${BASE}/redirect?code=${code}&to=${encodeURIComponent(to)}`;
                for (const code of [301, 302, 303, 307, 308]) {
                  const r = await fetch(hop(code), { method: 'POST', body: 'payload', headers: { 'content-type': 'x/y' } });
                  const j = await r.json();
                  console.log(code, r.status, r.redirected, r.url === BASE + '/echo', j.method, j.body || '-', j.headers['content-type'] ?? '-');
                }
                const put = await (await fetch(hop(302), { method: 'PUT', body: 'kept' })).json();
                console.log('302 PUT', put.method, put.body);
                const many = await fetch(`${BASE}/loop?n=19`);
                console.log('20 hops', many.status, many.redirected);
                await fetch(`${BASE}/loop?n=20`).catch((e) => console.log(e.name, e.message.includes('too many redirects')));
                const manual = await fetch(hop(301), { redirect: 'manual' });
                console.log('manual', manual.status, manual.headers.get('location'), manual.redirected, manual.type);
                await fetch(hop(302), { redirect: 'error' }).catch((e) => console.log('error', e.name, e.message.includes("redirect mode is 'error'")));
                const stream = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
                await fetch(hop(307), { method: 'POST', body: stream, duplex: 'half' })
                  .catch((e) => console.log('stream 307', e.name, e.message.includes('cannot be sent twice')));
                const stream303 = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
                console.log('stream 303', (await (await fetch(hop(303), { method: 'POST', body: stream303, duplex: 'half' })).json()).method);
                await fetch(hop(302, 'ftp://x/')).catch((e) => console.log('ftp', e.name, e.message.includes('not an http: or https: URL')));
                const noLocation = await fetch(`${BASE}/status?code=302`);
                console.log('no location', noLocation.status, await noLocation.text());
                """);
        assertEquals("""
                301 200 true true GET - -
                302 200 true true GET - -
                303 200 true true GET - -
                307 200 true true POST payload x/y
                308 200 true true POST payload x/y
                302 PUT PUT kept
                20 hops 200 true
                TypeError true
                manual 301 /echo false basic
                error TypeError true
                stream 307 TypeError true
                stream 303 GET
                ftp TypeError true
                no location 302 status body""", out);
    }

    @Test
    void anAbortSignalAbortsBeforeTheRequestWhileWaitingForHeadersAndDuringTheBody() throws Exception {
        int goneBefore = up.clientsGone.get();
        int silentBefore = up.silentClosed.get();
        String out = run("const SILENT = '" + up.silentBase() + "';\n" + """
                const before = new AbortController();
                before.abort(new Error('not wanted'));
                await fetch(BASE + '/text', { signal: before.signal }).catch((e) => console.log('before', e.message));
                const headers = new AbortController();
                const p = fetch(SILENT + '/no-answer', { signal: headers.signal });
                setTimeout(() => headers.abort(), 100);
                await p.catch((e) => console.log('headers', e.name));
                const body = new AbortController();
                const r = await fetch(BASE + '/body-hang', { signal: body.signal });
                const reader = r.body.getReader();
                console.log('first', new TextDecoder().decode((await reader.read()).value).trim());
                body.abort(new RangeError('stop'));
                await reader.read().catch((e) => console.log('body', e.name, e.message));
                const timeout = await fetch(SILENT + '/no-answer', { signal: AbortSignal.timeout(100) }).catch((e) => e);
                console.log('timeout', timeout.name);
                """);
        assertEquals("before not wanted\nheaders AbortError\nfirst first\nbody RangeError stop\ntimeout TimeoutError", out);
        // the upstream sees its clients go: the aborted exchanges released their connections
        long deadline = System.nanoTime() + 20_000_000_000L;
        while ((up.clientsGone.get() < goneBefore + 1 || up.silentClosed.get() < silentBefore + 2) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(goneBefore + 1, up.clientsGone.get(), "the connection of the body aborted while read was not closed");
        assertEquals(silentBefore + 2, up.silentClosed.get(), "the connections of fetches aborted before their headers were not closed");
    }

    @Test
    void aResponseBodyDroppedUnreadReleasesItsConnectionWhenCollected() {
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread collector = Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                System.gc();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            String out = run("""
                    const gone = async () => Number(await (await fetch(BASE + '/gone')).text());
                    const before = await gone();
                    for (let i = 0; i < 3; i++) {
                      const r = await fetch(BASE + '/body-hang');
                      console.log(i, r.status); // the body is never read, and r is dropped
                    }
                    let now = before;
                    for (let waited = 0; now < before + 3 && waited < 20000; waited += 100) {
                      await new Promise((resolve) => setTimeout(resolve, 100));
                      now = await gone();
                    }
                    console.log(now - before);
                    """);
            assertEquals("0 200\n1 200\n2 200\n3", out);
        } finally {
            running.set(false);
        }
    }

    @Test
    void networkErrorsAreTypeErrorsThatNameTheCause() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String out = run("""
                const why = (input, init) => fetch(input, init).then((r) => `ok ${r.status}`, (e) => `${e.name}: ${e.message}`);
                console.log(await why('http://no-such-host.invalid/'));
                console.log(await why('http://127.0.0.1:%d/'));
                console.log(await why('ftp://example.com/file'));
                console.log(await why('not a url'));
                console.log(await why('file:///etc/passwd'));
                console.log(await why('http://169.254.169.254/latest/meta-data/'));
                console.log(await why('http://[fe80::1]/'));
                const r = await fetch(BASE + '/reset');
                console.log(await r.text().then(() => 'read', (e) => `${e.name}: ${e.message}`));
                """.formatted(closedPort));
        String[] lines = out.split("\n");
        assertEquals(8, lines.length, out);
        assertTrue(lines[0].startsWith("TypeError: fetch failed: DNS lookup of 'no-such-host.invalid' failed"), lines[0]);
        assertEquals("TypeError: fetch failed: connection refused by http://127.0.0.1:" + closedPort, lines[1]);
        assertTrue(lines[2].startsWith("TypeError: fetch failed: unsupported URL scheme 'ftp:'"), lines[2]);
        assertTrue(lines[3].startsWith("TypeError: Failed to construct 'Request': invalid URL 'not a url'"), lines[3]);
        assertTrue(lines[4].startsWith("TypeError: fetch failed: unsupported URL scheme 'file:'"), lines[4]);
        assertTrue(lines[5].startsWith("TypeError: fetch to http://169.254.169.254 refused: the address 169.254.169.254"), lines[5]);
        assertTrue(lines[5].contains("link-local"), lines[5]);
        assertTrue(lines[6].startsWith("TypeError: fetch to http://[fe80::1] refused"), lines[6]);
        assertTrue(lines[7].startsWith("TypeError: fetch failed: the connection to " + up.base().replace("http://", "http://")
                + " was reset or closed"), lines[7]);
    }

    @Test
    void theOverallTimeoutRejectsWaitingForHeadersAndErrorsABodyBeingRead() {
        try (JsHarness js = new JsHarness()) {
            FetchOps.of(js.runtime()).configure(new FetchPolicy(0, 600, 0, 0, List.of(), List.of()), null);
            String out = js.run("""
                    const BASE = '%s';
                    const why = (url) => fetch(url).then((r) => r.text()).then(() => 'ok', (e) => `${e.name}: ${e.message}`);
                    console.log(await why('%s/no-answer'));
                    console.log(await why(BASE + '/body-hang')); // headers at once, then a body that never ends
                    """.formatted(up.base(), up.silentBase()));
            assertEquals("TimeoutError: fetch of " + up.silentBase() + "/no-answer timed out after 600 ms\n"
                    + "TimeoutError: fetch of " + up.base() + "/body-hang timed out after 600 ms", out);
            assertEquals("[]", js.uncaught().toString());
        }
    }

    @Test
    void dataAndBlobUrlsAreAnsweredLocally() {
        String out = run("""
                const d = await fetch('data:text/plain;charset=utf-8;base64,aMOp#frag');
                console.log(d.status, d.statusText, d.headers.get('content-type'), await d.text(), d.url);
                const plain = await fetch('data:,a%20b');
                console.log(plain.headers.get('content-type'), await plain.text());
                await fetch('data:;base64,%%%').catch((e) => console.log(e.name, e.message));
                const url = URL.createObjectURL(new Blob(['blob body'], { type: 'text/x' }));
                const b = await fetch(url);
                console.log(b.status, b.headers.get('content-type'), b.headers.get('content-length'), await b.text());
                await fetch(url, { method: 'POST', body: 'x' }).catch((e) => console.log(e.name, e.message.includes('only be fetched with GET')));
                URL.revokeObjectURL(url);
                await fetch(url).catch((e) => console.log(e.name, e.message.includes('revoked or unknown')));
                """);
        assertEquals("""
                200 OK text/plain;charset=utf-8 hé data:text/plain;charset=utf-8;base64,aMOp
                text/plain;charset=US-ASCII a b
                TypeError fetch failed: 'data:;base64,%%%' is not a valid data: URL
                200 text/x 9 blob body
                TypeError true
                TypeError true""", out);
    }

    @Test
    void getReturnsStatusHeadersAndBody() {
        String out = run("""
                const p = fetch(BASE + '/text?body=hi');
                console.log(p instanceof Promise);
                const r = await p;
                console.log(r.status, r.statusText, r.ok, r.type, r.redirected, r.url === BASE + '/text?body=hi');
                console.log(r.headers.get('content-type'), await r.text());
                const odd = await fetch(BASE + '/text?body=a|b^{c}[d]#fragment'); // legal for WHATWG URLs, not for java.net.URI
                console.log(await odd.text(), odd.url === BASE + '/text?body=a|b^{c}[d]');
                """);
        assertEquals("true\n200 OK true basic false true\ntext/plain hi\na|b^{c}[d] true", out);
    }
}
