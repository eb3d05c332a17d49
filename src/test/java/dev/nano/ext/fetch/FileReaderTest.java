package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** FileReader, FileReaderSync and ProgressEvent (ext/fetch/07_file_reader.js). */
class FileReaderTest {
    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(code);
            assertEquals("[]", js.uncaught().toString(), "uncaught errors");
            return out;
        }
    }

    @Test
    void eventsComeInOrderEachInItsOwnTaskWithReadyStateAndResult() {
        String out = run("""
                const r = new FileReader();
                const log = [];
                for (const t of ['loadstart', 'progress', 'load', 'loadend', 'abort', 'error']) {
                  r.addEventListener(t, (e) => {
                    log.push(`${t}:${r.readyState}:${e.loaded}/${e.total}:${e instanceof ProgressEvent}:${e.isTrusted}`);
                    Promise.resolve().then(() => log.push(`micro after ${t}`));
                  });
                }
                r.readAsText(new Blob(['héllo']));
                log.push(`sync:${r.readyState}:${r.result}`);
                setTimeout(() => setTimeout(() => setTimeout(() => setTimeout(() => {
                  console.log(log.join('\\n'));
                  console.log(r.result, r.error);
                }))));
                """);
        assertEquals("""
                sync:1:null
                loadstart:1:0/6:true:true
                micro after loadstart
                progress:1:6/6:true:true
                micro after progress
                load:2:6/6:true:true
                micro after load
                loadend:2:6/6:true:true
                micro after loadend
                héllo null""", out);
    }

    @Test
    void anEmptyBlobHasNoProgressEvent() {
        String out = run("""
                const r = new FileReader();
                const log = [];
                for (const t of ['loadstart', 'progress', 'load', 'loadend']) r.addEventListener(t, () => log.push(t));
                r.onloadend = () => console.log(log.join(','), r.result.byteLength);
                r.readAsArrayBuffer(new Blob());
                """);
        assertEquals("loadstart,load,loadend 0", out);
    }

    @Test
    void resultsOfEachReadMethod() {
        String out = run("""
                const blob = new Blob(['TEST σ'], { type: 'text/plain' });
                const read = (method, b = blob, ...args) => new Promise((resolve) => {
                  const r = new FileReader();
                  r.onload = () => resolve(r.result);
                  r[method](b, ...args);
                });
                (async () => {
                  const ab = await read('readAsArrayBuffer');
                  console.log(ab instanceof ArrayBuffer, [...new Uint8Array(ab)].join(','));
                  console.log(JSON.stringify(await read('readAsBinaryString')));
                  console.log(await read('readAsText'));
                  console.log(await read('readAsDataURL'));
                  console.log(await read('readAsDataURL', new Blob([])));
                })();
                """);
        assertEquals("""
                true 84,69,83,84,32,207,131
                "TEST \u00cf\u0083"
                TEST σ
                data:text/plain;base64,VEVTVCDPgw==
                data:application/octet-stream;base64,""", out);
    }

    @Test
    void readAsTextPicksTheEncodingArgumentThenTheCharsetThenUtf8AndABomWins() {
        String out = run("""
                const utf16be = new Uint8Array([0x00, 0x68, 0x00, 0x69]);
                const read = (b, ...args) => new Promise((resolve) => {
                  const r = new FileReader();
                  r.onload = () => resolve(JSON.stringify(r.result));
                  r.readAsText(b, ...args);
                });
                (async () => {
                  console.log(await read(new Blob([utf16be]), 'UTF-16BE'));
                  console.log(await read(new Blob([utf16be], { type: 'text/plain;charset=utf-16be' })));
                  console.log(await read(new Blob([utf16be], { type: 'text/plain;charset=utf-16be' }), 'no such label'));
                  console.log(await read(new Blob([new Uint8Array([0xff, 0xfe, 0x68, 0x00])]), 'utf-8'));
                  console.log(await read(new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0xff])])));
                  console.log(await read(new Blob(['abc']), 'iso-2022-kr'));
                })();
                """);
        assertEquals("""
                "hi"
                "hi"
                "hi"
                "h"
                "h\ufffd"
                "\ufffd\"""", out);
    }

    @Test
    void abortFiresAbortAndLoadendAtOnceAndDropsTheRead() {
        String out = run("""
                const r = new FileReader();
                const log = [];
                for (const t of ['loadstart', 'progress', 'load', 'loadend', 'abort']) r.addEventListener(t, () => log.push(`${t}:${r.readyState}`));
                r.readAsText(new Blob(['x']));
                r.abort();
                log.push(`after abort:${r.readyState}:${r.result}`);
                setTimeout(() => setTimeout(() => setTimeout(() => console.log(log.join(',')))));
                const idle = new FileReader();
                idle.abort();
                console.log('idle', idle.readyState, idle.result);
                """);
        assertEquals("idle 0 null\nabort:2,loadend:2,after abort:2:null", out);
    }

    @Test
    void aSecondReadWhileLoadingThrowsButAReadFromLoadendOrAfterAbortWorks() {
        String out = run("""
                const r = new FileReader();
                r.readAsText(new Blob(['first']));
                try { r.readAsText(new Blob(['x'])); } catch (e) { console.log(e.name, e instanceof DOMException); }
                let n = 0;
                r.onloadend = () => {
                  console.log('loadend', r.result);
                  if (++n === 1) r.readAsText(new Blob(['second']));
                };
                const s = new FileReader();
                s.onloadstart = () => {
                  s.abort();
                  s.onloadstart = null;
                  s.onload = () => console.log('restarted', s.result);
                  s.readAsText(new Blob(['restarted']));
                };
                s.readAsText(new Blob([new Uint8Array(100000)]));
                """);
        assertEquals("InvalidStateError true\nloadend first\nrestarted restarted\nloadend second", out);
    }

    @Test
    void aLoadHandlerStartingAnotherReadSuppressesThisLoadend() {
        String out = run("""
                const r = new FileReader();
                const log = [];
                r.onload = () => { log.push('load ' + r.result); if (r.result === 'a') r.readAsText(new Blob(['b'])); };
                r.onloadend = () => { log.push('loadend ' + r.result); if (r.result === 'b') console.log(log.join(',')); };
                r.readAsText(new Blob(['a']));
                """);
        assertEquals("load a,load b,loadend b", out);
    }

    @Test
    void interfaceShapeArgumentChecksAndHandlers() {
        String out = run("""
                const r = new FileReader();
                console.log(r instanceof EventTarget, FileReader.length, FileReader.EMPTY, FileReader.prototype.LOADING, r.DONE);
                console.log(Object.prototype.toString.call(r), r.onload, r.onloadend, r.error, r.result);
                for (const bad of [() => r.readAsText(), () => r.readAsText('not a blob'), () => FileReader.prototype.abort.call({})]) {
                  try { bad(); } catch (e) { console.log(e.constructor.name); }
                }
                const desc = Object.getOwnPropertyDescriptor(FileReader, 'DONE');
                console.log(desc.writable, desc.enumerable, desc.configurable);
                const f = () => {};
                r.onload = f;
                console.log(r.onload === f, r.readyState);
                """);
        assertEquals("""
                true 0 0 1 2
                [object FileReader] null null null null
                TypeError
                TypeError
                TypeError
                false true false
                true 0""", out);
    }

    @Test
    void progressEventConstructor() {
        String out = run("""
                const e = new ProgressEvent('progress', { lengthComputable: 1, loaded: 5, total: 10.7, bubbles: true });
                console.log(e.type, e.lengthComputable, e.loaded, e.total, e.bubbles, e instanceof Event, e.isTrusted);
                const d = new ProgressEvent('x');
                console.log(d.lengthComputable, d.loaded, d.total);
                """);
        assertEquals("progress true 5 10 true true false\nfalse 0 0", out);
    }

    @Test
    void fileReaderSyncReturnsAtOnce() {
        String out = run("""
                const s = new FileReaderSync();
                const b = new Blob(['hi!'], { type: 'text/x' });
                console.log(s.readAsText(b), s.readAsBinaryString(b), s.readAsDataURL(b), s.readAsArrayBuffer(b).byteLength);
                try { s.readAsText(null); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("hi! hi! data:text/x;base64,aGkh 3\nTypeError", out);
    }

    @Test
    void theGlobalsAreBuiltOnFirstUseAndSurviveAnAppReplacingBuiltins() {
        String out = run("""
                const before = Object.getOwnPropertyDescriptor(globalThis, 'FileReader');
                const bytes = new Blob([new Uint8Array([0xfe, 0xff, 0, 0x41])]); // before the patch: WebIDL sequences iterate
                Array.prototype[Symbol.iterator] = function () { throw new Error('patched'); };
                TextDecoder.prototype.decode = () => 'patched';
                globalThis.btoa = () => 'patched';
                const r = new FileReader();
                const after = Object.getOwnPropertyDescriptor(globalThis, 'FileReader');
                console.log(typeof before.get, typeof after.value, after.enumerable, after.writable);
                r.onload = () => console.log(r.result);
                r.readAsDataURL(bytes);
                const t = new FileReader();
                t.onload = () => console.log(t.result);
                t.readAsText(bytes);
                """);
        assertEquals("function function false true\ndata:application/octet-stream;base64,/v8AQQ==\nA", out);
    }

    /** The other way to read a Blob: stream() gives copies in chunks of at most 64 KiB, across parts. */
    @Test
    void blobStreamReadsAllPartsInChunks() {
        String out = run("""
                const big = new Uint8Array(150000).map((_, i) => i & 0xff);
                const blob = new Blob(['ab', big, new Blob(['cd'])]).slice(1);
                (async () => {
                  const sizes = [];
                  const bytes = [];
                  for await (const chunk of blob.stream()) { sizes.push(chunk.length); for (const b of chunk) bytes.push(b); }
                  const expected = [0x62, ...big, 0x63, 0x64];
                  console.log(sizes.join(','), bytes.length === expected.length && bytes.every((b, i) => b === expected[i]));
                  const again = await blob.stream().getReader({ mode: 'byob' }).read(new Uint8Array(10));
                  console.log(again.value.length, again.value[0]);
                  console.log((await new Blob().stream().getReader().read()).done);
                })();
                """);
        assertEquals("1,65536,65536,18928,2 true\n1 98\ntrue", out);
    }

    @Test
    void aThrowingHandlerIsReportedAndTheReadCompletes() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    const r = new FileReader();
                    r.onload = () => { throw new Error('boom'); };
                    r.onloadend = () => console.log('loadend', r.result);
                    r.readAsText(new Blob(['ok']));
                    """);
            assertEquals("loadend ok", out);
            assertTrue(js.uncaught().toString().contains("boom"), js.uncaught().toString());
        }
    }
}
