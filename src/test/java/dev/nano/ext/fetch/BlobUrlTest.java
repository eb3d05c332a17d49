package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** URL.createObjectURL / URL.revokeObjectURL and the per-context blob URL store (ext/fetch/01_blob.js). */
class BlobUrlTest {
    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            return js.run(code);
        }
    }

    @Test
    void urlsAreUniqueBlobNullUuidsWithAnOpaqueOrigin() {
        String out = run("""
                const a = URL.createObjectURL(new Blob(['x']));
                const b = URL.createObjectURL(new File(['y'], 'f.txt'));
                const re = /^blob:null\\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
                console.log(re.test(a), re.test(b), a !== b);
                const u = new URL(a);
                console.log(u.protocol, u.origin, JSON.stringify(u.host), u.pathname === a.slice(5));
                """);
        assertEquals("true true true\nblob: null \"\" true", out);
    }

    @Test
    void onlyBlobsAreAcceptedAndArgumentsAreRequired() {
        String out = run("""
                for (const f of [() => URL.createObjectURL('str'), () => URL.createObjectURL({}), () => URL.createObjectURL(),
                                 () => URL.revokeObjectURL()]) {
                  try { f(); console.log('no error'); } catch (e) { console.log(e.constructor.name); }
                }
                URL.revokeObjectURL('not a url');
                URL.revokeObjectURL('https://example.com/');
                const d = Object.getOwnPropertyDescriptor(URL, 'createObjectURL');
                console.log(typeof d.value, d.enumerable, URL.createObjectURL.length, URL.revokeObjectURL.length);
                """);
        assertEquals("TypeError\nTypeError\nTypeError\nTypeError\nfunction true 1 1", out);
    }

    @Test
    void theStoreResolvesUntilRevokedAndOnlyTheExactUrlRevokes() {
        try (JsHarness js = new JsHarness()) {
            // internal.fetch.resolveBlobURL is §8.4 "resolve a blob URL", for fetch of blob: URLs.
            Value resolve = js.runtime().internal().getMember("fetch").getMember("resolveBlobURL");
            Value blob = js.eval("globalThis.blob = new Blob(['contents'], { type: 'text/plain' })");
            String url = js.eval("globalThis.url = URL.createObjectURL(blob)").asString();
            assertTrue(resolve.execute(url).equals(blob), "the URL resolves to its Blob");
            assertTrue(resolve.execute(url + "#fragment").equals(blob), "a fragment is ignored when resolving");
            assertTrue(resolve.execute(url + "?q").isNull(), "a query is another URL");
            assertTrue(resolve.execute(url + "/path").isNull(), "a path is another URL");
            assertTrue(resolve.execute("https://example.com/").isNull());
            assertTrue(resolve.execute("not a url").isNull());

            js.eval("URL.revokeObjectURL(url + '#fragment'); URL.revokeObjectURL(url.toUpperCase())");
            assertTrue(resolve.execute(url).equals(blob), "only the exact URL revokes");
            String other = js.eval("globalThis.other = URL.createObjectURL(blob)").asString();
            js.eval("URL.revokeObjectURL(url)");
            assertTrue(resolve.execute(url).isNull(), "revoked");
            assertTrue(resolve.execute(other).equals(blob), "another URL for the same Blob stays");
            js.eval("URL.revokeObjectURL({ toString: () => other })"); // the argument is a DOMString
            assertTrue(resolve.execute(other).isNull(), "revoked through ToString");
        }
    }

    @Test
    void storesAreSeparatePerContext() {
        try (JsHarness a = new JsHarness(); JsHarness b = new JsHarness()) {
            String url = a.eval("URL.createObjectURL(globalThis.kept = new Blob(['a']))").asString();
            assertTrue(url.startsWith("blob:null/"), url);
            Value resolveA = a.runtime().internal().getMember("fetch").getMember("resolveBlobURL");
            Value resolveB = b.runtime().internal().getMember("fetch").getMember("resolveBlobURL");
            assertTrue(resolveB.execute(url).isNull(), "the other context has no entry for it");
            b.eval("URL.revokeObjectURL('" + url + "')"); // and revoking there does not touch a's store
            assertTrue(resolveA.execute(url).equals(a.eval("globalThis.kept")), "a's entry stays");
        }
    }
}
