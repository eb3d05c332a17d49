package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Body mixin (Fetch §5.3): extraction, Content-Type, consume-once, formData() parsing. */
class BodyTest {
    private static String run(String code) {
        return HeadersTest.run(code);
    }

    @Test
    void extractionSetsTheContentTypeOnlyWhenAbsent() {
        String out = run("""
                const ct = (body, headers) => new Response(body, { headers }).headers.get('content-type');
                console.log(ct('s'), '|', ct(new Blob([], { type: 'image/png' })), '|', ct(new Blob([])), '|', ct(new Uint8Array(1)),
                  '|', ct(new URLSearchParams('a=1')), '|', ct(null), '|', ct('s', { 'Content-Type': 'x/y' }));
                """);
        assertEquals("text/plain;charset=UTF-8 | image/png | null | null | application/x-www-form-urlencoded;charset=UTF-8 | null | x/y", out);
    }

    @Test
    void everyKindOfBodyReadsBack() {
        String out = run("""
                const buf = new Uint8Array([104, 105]);
                const res = new Response(buf);
                buf[0] = 0; // extraction copied the bytes
                console.log(await res.text(), await new Response(buf.buffer).text() === '\\0i');
                console.log(await new Response(new URLSearchParams({ a: '1 2', b: '&' })).text());
                console.log(JSON.stringify(await new Response('{"a":[1,2]}').json()));
                console.log(await new Response(12).text(), await new Response({}).text());
                const blob = await new Response('abc', { headers: { 'content-type': 'Text/Plain; Charset="utf-8"' } }).blob();
                console.log(blob.size, blob.type);
                const ab = await new Response(new Blob(['xyz'])).arrayBuffer();
                console.log(ab.constructor.name, ab.byteLength, (await new Response('\\u00e9').bytes()).join());
                console.log(JSON.stringify(await new Response().text()), (await new Response(null).arrayBuffer()).byteLength);
                """);
        assertEquals("""
                hi true
                a=1+2&b=%26
                {"a":[1,2]}
                12 [object Object]
                3 text/plain;charset=utf-8
                ArrayBuffer 3 195,169
                "" 0""", out);
    }

    @Test
    void aBodyIsConsumedOnceAndBodyUsedTracksIt() {
        String out = run("""
                const res = new Response('once');
                console.log(res.bodyUsed);
                const p = res.text();
                console.log(res.bodyUsed);
                try { await res.arrayBuffer(); } catch (e) { console.log(e.constructor.name, e.message); }
                try { await res.json(); } catch (e) { console.log(e.constructor.name); }
                try { res.clone(); } catch (e) { console.log('clone', e.constructor.name); }
                console.log(await p);
                const empty = new Response(null);
                await empty.text(); await empty.text();
                console.log('null body reads again', empty.bodyUsed);
                try { await new Response('{bad').json(); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("""
                false
                true
                TypeError Body has already been consumed (bodyUsed is true or its stream is locked)
                TypeError
                clone TypeError
                once
                null body reads again false
                SyntaxError""", out);
    }

    @Test
    void formDataParsesUrlencodedBodies() {
        String out = run("""
                const res = new Response('a=1&b=x+y&a=%F0%9F%98%80&c', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
                const fd = await res.formData();
                console.log(JSON.stringify([...fd]));
                """);
        assertEquals("[[\"a\",\"1\"],[\"b\",\"x y\"],[\"a\",\"\ud83d\ude00\"],[\"c\",\"\"]]", out);
    }

    @Test
    void aLeadingQuestionMarkInAnUrlencodedBodyIsData() {
        String out = run("""
                const res = new Response('?a=1', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
                console.log(JSON.stringify([...(await res.formData())]));
                const sp = new URLSearchParams('x=1'); sp.toString = () => 'hijacked';
                console.log(await new Response(sp).text());
                """);
        assertEquals("[[\"?a\",\"1\"]]\nx=1", out);
    }

    @Test
    void formDataParsesMultipartBodies() {
        String out = run("""
                const body = 'preamble\\r\\n--XyZ\\r\\ncontent-disposition: form-data; name="a"\\r\\n\\r\\nvalue \\u00e9\\r\\n' +
                  '--XyZ\\r\\nContent-Disposition: form-data; name="f"; filename="n.txt"\\r\\nContent-Type: Text/CSV\\r\\n\\r\\n' +
                  'x,y\\r\\n1,2\\r\\n--XyZ\\r\\nContent-Disposition: form-data; name="plain"; filename="p"\\r\\n\\r\\n--not-a-boundary\\r\\n--XyZ--\\r\\nepilogue';
                const fd = await new Response(body, { headers: { 'content-type': 'multipart/form-data; boundary="XyZ"' } }).formData();
                const f = fd.get('f');
                const p = fd.get('plain');
                console.log(fd.get('a'), f.name, f.type, JSON.stringify(await f.text()), p.type, await p.text());
                const bad = async (b, type) => {
                  try { await new Response(b, { headers: { 'content-type': type } }).formData(); console.log('parsed'); }
                  catch (e) { console.log(e.constructor.name); }
                };
                await bad('--XyZ\\r\\n\\r\\nno disposition\\r\\n--XyZ--', 'multipart/form-data; boundary=XyZ');
                await bad('--XyZ\\r\\nContent-Disposition: form-data; name="a"\\r\\n\\r\\nunterminated', 'multipart/form-data; boundary=XyZ');
                await bad('a=1', 'multipart/form-data');
                await bad('a=1', 'text/plain');
                await bad('a=1', null);
                """);
        assertEquals("value \u00e9 n.txt text/csv \"x,y\\r\\n1,2\" text/plain --not-a-boundary\nTypeError\nTypeError\nTypeError\nTypeError\nTypeError", out);
    }
}
