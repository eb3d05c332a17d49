package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FormData (XHR §5) and its multipart/form-data serialization (HTML §4.10.21.8). */
class FormDataTest {
    private static String run(String code) {
        return HeadersTest.run(code);
    }

    @Test
    void entriesKeepInsertionOrderAndSetReplacesTheFirst() {
        String out = run("""
                const fd = new FormData();
                fd.append('a', '1'); fd.append('b', '2'); fd.append('a', '3'); fd.append('c', 4);
                console.log(JSON.stringify([...fd]), fd.get('a'), JSON.stringify(fd.getAll('a')), fd.get('zz'), fd.has('c'));
                fd.set('a', 'x');
                console.log(JSON.stringify([...fd.entries()]));
                fd.delete('b');
                console.log([...fd.keys()].join(), [...fd.values()].join());
                const seen = []; fd.forEach((v, k, o) => seen.push(k + v + (o === fd)));
                console.log(seen.join(), fd[Symbol.iterator] === fd.entries, Object.prototype.toString.call(fd.keys()));
                """);
        assertEquals("""
                [["a","1"],["b","2"],["a","3"],["c","4"]] 1 ["1","3"] null true
                [["a","x"],["b","2"],["c","4"]]
                a,c x,4
                axtrue,c4true true [object FormData Iterator]""", out);
    }

    @Test
    void blobValuesBecomeFilesNamedBlobOrByTheFilename() {
        String out = run("""
                const fd = new FormData();
                const file = new File(['abc'], 'orig.txt', { type: 'text/x', lastModified: 5 });
                fd.append('blob', new Blob(['xy'], { type: 'a/b' }));
                fd.append('named', new Blob(['xy']), 'given.bin');
                fd.append('file', file);
                fd.append('renamed', file, 'new.txt');
                const [b, n, f, r] = fd.getAll('blob').concat(fd.getAll('named'), fd.getAll('file'), fd.getAll('renamed'));
                console.log(b instanceof File, b.name, b.type, b.size, n.name, f === file, r === file, r.name, r.type, r.lastModified);
                try { fd.append('s', 'not a blob', 'name'); } catch (e) { console.log(e.constructor.name); }
                try { fd.append('only'); } catch (e) { console.log(e.constructor.name); }
                try { new FormData({}); } catch (e) { console.log('form', e.constructor.name); }
                fd.set('blob', new Blob(['q']), 'q.txt');
                console.log(fd.get('blob').name, FormData.length, FormData.prototype.append.length);
                """);
        assertEquals("true blob a/b 2 given.bin true false new.txt text/x 5\nTypeError\nTypeError\nform TypeError\nq.txt 0 2", out);
    }

    @Test
    void serializesAsMultipartWithEscapedNamesAndNormalizedLineBreaks() {
        String out = run("""
                const fd = new FormData();
                fd.append('field"\\n', 'line1\\nline2\\rline3\\r\\n');
                fd.append('up', new File(['<bytes>'], 'a"b.txt'));
                const res = new Response(fd);
                const type = res.headers.get('content-type');
                const boundary = type.slice(type.indexOf('boundary=') + 9);
                const text = await res.text();
                console.log(type.startsWith('multipart/form-data; boundary='), boundary.length > 20);
                console.log(JSON.stringify(text.split(boundary).join('B')));
                """);
        assertEquals("true true\n\"--B\\r\\nContent-Disposition: form-data; name=\\\"field%22%0D%0A\\\"\\r\\n\\r\\n"
                + "line1\\r\\nline2\\r\\nline3\\r\\n\\r\\n--B\\r\\nContent-Disposition: form-data; name=\\\"up\\\"; "
                + "filename=\\\"a%22b.txt\\\"\\r\\nContent-Type: application/octet-stream\\r\\n\\r\\n<bytes>\\r\\n--B--\\r\\n\"", out);
    }

    @Test
    void roundTripsThroughABody() {
        String out = run("""
                const fd = new FormData();
                fd.append('text', 'h\\u00e9llo \\u{1F600}');
                fd.append('bin', new File([new Uint8Array([0, 13, 10, 45, 45, 255])], 'b.bin', { type: 'application/x-thing' }));
                fd.append('empty', new File([], 'empty.txt'));
                const parsed = await new Request('https://example.com/', { method: 'POST', body: fd }).formData();
                const bin = parsed.get('bin');
                console.log([...parsed.keys()].join(), parsed.get('text'), bin.name, bin.type, [...await bin.bytes()].join());
                const empty = parsed.get('empty');
                console.log(empty.name, empty.size, JSON.stringify(empty.type));
                """);
        assertTrue(out.contains("text,bin,empty h\u00e9llo \ud83d\ude00 b.bin application/x-thing 0,13,10,45,45,255"), out);
        assertEquals("text,bin,empty h\u00e9llo \ud83d\ude00 b.bin application/x-thing 0,13,10,45,45,255\nempty.txt 0 \"application/octet-stream\"", out);
    }
}
