package dev.nano.ext.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * The interfaces built on first use (internal.exposeLazily: URL, Blob/File/FormData, AbortSignal,
 * Event and its subclasses, FetchEvent, ...): a hello-world request builds none of them, and once
 * built they are the data properties and prototype chains WebIDL specifies, however the app got there.
 */
class LazyGlobalsTest {
    private static final String LAZY = "['URL', 'URLSearchParams', 'Blob', 'File', 'FormData', 'AbortSignal', 'AbortController',"
            + " 'Event', 'CustomEvent', 'ErrorEvent', 'PromiseRejectionEvent', 'FetchEvent']";

    @Test
    void aHelloWorldRequestBuildsNoneOfThem() {
        try (JsHarness js = new JsHarness()) {
            // what http/00_dispatch.js does for a GET: the Request from the header lines, the
            // handler's Response, its parts read out
            js.runtime().context().eval("js", """
                    (function (internal) {
                      const request = internal.fetch.newRequest('GET', 'http://app.localhost/', 'host\\napp.localhost', null);
                      const parts = internal.fetch.responseOut(new Response('Hello'));
                      return request.method + parts.status + parts.body;
                    })
                    """).execute(js.runtime().internal());
            String out = js.run(LAZY + ".filter((k) => Object.getOwnPropertyDescriptor(globalThis, k).get === undefined)"
                    + ".forEach((k) => console.log('built:', k)); console.log('done');");
            assertEquals("done", out);
        }
    }

    @Test
    void onceBuiltTheyAreInterfacesWithTheirPrototypeChains() {
        String out = JsHarness.runChecked("""
                %s.forEach((k) => globalThis[k]); // builds them all
                const f = new File(['ab'], 'f.txt');
                console.log(f instanceof Blob, Object.getPrototypeOf(File) === Blob, f.size);
                console.log(AbortSignal.abort() instanceof EventTarget, new CustomEvent('x') instanceof Event,
                  Object.getPrototypeOf(ErrorEvent) === Event);
                const bad = %s.filter((k) => {
                  const d = Object.getOwnPropertyDescriptor(globalThis, k);
                  return !(typeof d.value === 'function' && d.writable && !d.enumerable && d.configurable && d.value.name === k);
                });
                console.log(bad.length === 0 ? 'all data properties' : bad.join());
                console.log(Object.keys(AbortSignal).join(), Object.keys(URL).join(), Event.AT_TARGET);
                """.formatted(LAZY, LAZY));
        assertEquals("""
                true true 2
                true true true
                all data properties
                abort,timeout,any parse,canParse,createObjectURL,revokeObjectURL 2""", out);
    }

    @Test
    void theyAreBuiltSafelyAfterAnAppReplacedBuiltins() {
        String out = JsHarness.runChecked("""
                Array.prototype[Symbol.iterator] = function () { throw new Error('patched'); };
                Array.prototype.push = () => { throw new Error('patched push'); };
                const u = new URL('https://example.com/?a=1');
                console.log(u.searchParams.get('a'), URL.canParse('x:'), Object.getOwnPropertyDescriptor(URL, 'parse').enumerable);
                const fd = new FormData();
                const parts = new Set(); // (WebIDL sequences of the app's own arrays do use its iterator)
                parts.add('v');
                fd.append('k', new Blob(parts), 'name');
                console.log(fd.get('k') instanceof File, fd.get('k').name, fd.keys().next().value);
                const c = new AbortController();
                c.abort();
                console.log(c.signal.aborted, c.signal.reason.name);
                console.log(new ErrorEvent('error', { message: 'm' }).message);
                """);
        assertEquals("1 true true\ntrue name k\ntrue AbortError\nm", out);
    }

    @Test
    void nanoUsesItsOwnClassesWhenTheAppReplacedTheGlobalsFirst() {
        String out = JsHarness.runChecked("""
                globalThis.Blob = null;
                URL = 'mine';
                (async () => {
                  const blob = await new Response('abc').blob();
                  const form = await new Response('a=1', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }).formData();
                  const signal = new Request('https://example.com/').signal;
                  console.log(blob.size, form.get('a'), signal.aborted, Blob, URL, typeof FormData, typeof AbortSignal);
                })();
                """);
        assertEquals("3 1 false null mine function function", out);
    }
}
