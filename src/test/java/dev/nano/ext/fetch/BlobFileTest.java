package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Blob and File (File API §3, §4): parts, types, endings, slicing, reads, conversions. */
class BlobFileTest {
    private static String run(String code) {
        return HeadersTest.run(code);
    }

    @Test
    void partsOfEveryKindAreConcatenatedAsUtf8AndBytes() {
        String out = run("""
                const view = new Uint8Array([0, 255, 0, 4]);
                const b = new Blob(['h\\u00e9', new Uint16Array(view.buffer, 2), view.buffer, new DataView(view.buffer, 1, 1),
                  new Blob(['!']), 12, { toString() { return 'x'; } }]);
                console.log(b.size, JSON.stringify(b.type));
                b.bytes().then((u) => console.log(u.constructor.name, [...u].join()));
                view[0] = 99; // the Blob copied the bytes
                new Blob(['\\ud800', 'a']).text().then((t) => console.log(JSON.stringify(t), t.charCodeAt(0).toString(16)));
                """);
        assertEquals("14 \"\"\nUint8Array 104,195,169,0,4,0,255,0,4,255,33,49,50,120\n\"\ufffda\" fffd", out);
    }

    @Test
    void sequencesAreConvertedInOrderAndNonSequencesAreRejected() {
        String out = run("""
                for (const bad of [null, 1, 'str', {}, new Date(), /re/]) {
                  try { new Blob(bad); console.log('accepted'); } catch (e) { console.log(e.constructor.name); }
                }
                const order = [];
                new Blob([{ toString() { order.push('part'); return ''; } }],
                  { get endings() { order.push('endings'); }, get type() { order.push('type'); } });
                console.log(order.join());
                console.log(new Blob({ *[Symbol.iterator]() { yield 'ab'; yield 'c'; } }).size);
                for (const bag of [1, true, 'abc']) {
                  try { new Blob([], bag); } catch (e) { console.log('bag', e.constructor.name); }
                }
                try { new Blob([], { endings: 'bogus' }); } catch (e) { console.log('endings', e.constructor.name); }
                """);
        assertEquals("TypeError\n".repeat(6) + "part,endings,type\n3\nbag TypeError\nbag TypeError\nbag TypeError\nendings TypeError", out);
    }

    @Test
    void typeIsLowercasedOrDroppedWhenNotPrintableAscii() {
        String out = run("""
                const types = ['TEXT/HTML', 'text/plain;charset=UTF-8', ' image/gif ', '\\u00e5', 'image/gif\\u0000', 'a\\u007f', 'nonparsable'];
                console.log(types.map((t) => JSON.stringify(new Blob([], { type: t }).type)).join(' '));
                """);
        assertEquals("\"text/html\" \"text/plain;charset=utf-8\" \" image/gif \" \"\" \"\" \"\" \"nonparsable\"", out);
    }

    @Test
    void nativeEndingsConvertLineBreaksAndTransparentKeepsThem() {
        String out = run("""
                const s = 'a\\r\\nb\\rc\\nd';
                Promise.all([new Blob([s], { endings: 'native' }).text(), new Blob([s]).text(), new Blob([s], { endings: 'transparent' }).text()])
                  .then((t) => console.log(t.map((x) => JSON.stringify(x)).join(' ')));
                """);
        assertEquals("\"a\\nb\\nc\\nd\" \"a\\r\\nb\\rc\\nd\" \"a\\r\\nb\\rc\\nd\"", out);
    }

    @Test
    void sliceAcrossPartsWithNegativeAndOverflowingIndices() {
        String out = run("""
                const b = new Blob(['foo', 'bar', new Blob(['baz'])], { type: 'a/b' });
                const cases = [[], [3], [-4], [2, 7], [1, -1], [-100, 2], [7, 4], [0, 100], [4, 5, 'X/Y'], [NaN, Infinity]];
                const r = await Promise.all(cases.map((c) => { const s = b.slice(...c); return s.text().then((t) => `${t}:${s.size}:${s.type}`); }));
                console.log(r.join(' '));
                const nested = b.slice(2, 8).slice(1, -1);
                console.log(await nested.text(), nested.size, nested instanceof Blob, Object.prototype.toString.call(nested));
                """);
        assertEquals("foobarbaz:9: barbaz:6: rbaz:4: obarb:5: oobarba:7: fo:2: :0: foobarbaz:9: a:1:x/y foobarbaz:9:\n"
                + "barb 4 true [object Blob]", out);
    }

    @Test
    void readsReturnFreshCopiesAndInvalidUtf8IsReplaced() {
        String out = run("""
                const b = new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0xc0, 0xe2, 0x82, 0x42, 0xf0, 0x9f, 0x98, 0x80])]);
                const t = await b.text();
                console.log(JSON.stringify(t), t.length);
                const one = new Blob(['abc']);
                new Uint8Array(await one.arrayBuffer())[0] = 0x7a;
                console.log(await one.text());
                const u = await one.bytes();
                console.log(u.byteLength, u.buffer.byteLength);
                const a = await new Blob().arrayBuffer();
                console.log(a.constructor.name, a.byteLength);
                """);
        assertEquals("\"A\ufffd\ufffdB\ud83d\ude00\" 6\nabc\n3 3\nArrayBuffer 0", out);
    }

    @Test
    void fileHasNameLastModifiedAndIsABlob() {
        String out = run("""
                const before = Date.now();
                const f = new File(['ab', new Blob(['c'])], 'dir/name.txt', { type: 'Text/Plain' });
                console.log(f.name, f.size, f.type, f.lastModified >= before && f.lastModified <= Date.now(), JSON.stringify(f.webkitRelativePath));
                console.log(f instanceof Blob, f instanceof File, Object.prototype.toString.call(f), File.length, Blob.length);
                console.log(new File([], 'x', { lastModified: 42.9 }).lastModified, new File([], null).name);
                const s = f.slice(1);
                console.log(s instanceof File, s.size);
                try { new File(['x']); } catch (e) { console.log(e.constructor.name); }
                try { new File('bits', 'x'); } catch (e) { console.log(e.constructor.name); }
                const order = [];
                new File([], 'n', { get type() { order.push('type'); }, get lastModified() { order.push('lastModified'); }, get endings() { order.push('endings'); } });
                console.log(order.join());
                try { Object.getOwnPropertyDescriptor(File.prototype, 'name').get.call(new Blob()); } catch (e) { console.log('brand', e.constructor.name); }
                """);
        assertTrue(out.startsWith("dir/name.txt 3 text/plain true \"\"\n"), out);
        assertEquals("""
                dir/name.txt 3 text/plain true ""
                true true [object File] 2 0
                42 null
                false 2
                TypeError
                TypeError
                endings,lastModified,type
                brand TypeError""", out);
    }

    @Test
    void webIdlShape() {
        String out = run("""
                console.log(Object.keys(Blob.prototype).join(), Object.keys(File.prototype).join());
                console.log(Blob.prototype.slice.length, Blob.prototype.text.length);
                Blob.prototype.text.call({}).catch((e) => console.log('rejects', e.constructor.name));
                try { Blob(); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("""
                size,type,slice,stream,text,arrayBuffer,bytes name,lastModified,webkitRelativePath
                0 0
                TypeError
                rejects TypeError""", out);
    }
}
