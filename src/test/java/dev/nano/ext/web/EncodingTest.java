package dev.nano.ext.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** TextEncoder and TextDecoder (Encoding Standard §7) for UTF-8 and UTF-16, and the Java decoders. */
class EncodingTest {
    private static String run(String code) {
        return JsHarness.runChecked(code);
    }

    private static final String HEX = "const hex = (u) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join(' ');\n"
            + "const codes = (s) => Array.from(s, (c) => c.codePointAt(0).toString(16)).join(' ');\n";

    @Test
    void encodeGivesUtf8WithLoneSurrogatesReplaced() {
        String out = run(HEX + """
                const e = new TextEncoder();
                console.log(e.encoding, e.encode().length, e.encode(undefined).length);
                console.log(hex(e.encode('z\\xA2\\u6C34\\uD834\\uDD1E\\uF8FF\\uDBFF\\uDFFD\\uFFFE')));
                console.log(hex(e.encode('\\uD800')), '|', hex(e.encode('a\\uDC00b')), '|', hex(e.encode('\\uDC00\\uD800')));
                console.log(hex(e.encode(123)), hex(e.encode(null)));
                const u = e.encode('abc');
                console.log(u instanceof Uint8Array, u.buffer.constructor === ArrayBuffer, u.byteOffset, u.buffer.byteLength);
                // An ordinary ArrayBuffer of its own: transferable, and not shared with the next call.
                const moved = u.buffer.transfer();
                console.log(new Uint8Array(moved).join(), u.length, e.encode('abc') !== e.encode('abc'));
                """);
        assertEquals("""
                utf-8 0 0
                7a c2 a2 e6 b0 b4 f0 9d 84 9e ef a3 bf f4 8f bf bd ef bf be
                ef bf bd | 61 ef bf bd 62 | ef bf bd ef bf bd
                31 32 33 6e 75 6c 6c
                true true 0 3
                97,98,99 0 true""", out);
    }

    @Test
    void encodeIntoWritesWholeCodePointsOnly() {
        String out = run(HEX + """
                const e = new TextEncoder();
                function into(s, length, offset = 0, shared = false) {
                  const buffer = shared ? new SharedArrayBuffer(length + offset + 2) : new ArrayBuffer(length + offset + 2);
                  const all = new Uint8Array(buffer).fill(0x80);
                  const r = e.encodeInto(s, new Uint8Array(buffer, offset, length));
                  console.log(r.read, r.written, hex(all), Object.getPrototypeOf(r) === Object.prototype);
                }
                into('Hi', 0);
                into('A', 10);
                into('\\u{1D306}', 4);
                into('\\u{1D306}A', 3);
                into('\\uD834A\\uDF06A\\u00A5Hi', 10);
                into('A\\uDF06', 4);
                into('\\u00A5\\u00A5', 4, 1);
                into('\\u00A5\\u00A5', 3, 0, true);
                into('', 2);
                """);
        assertEquals("""
                0 0 80 80 true
                1 1 41 80 80 80 80 80 80 80 80 80 80 80 true
                2 4 f0 9d 8c 86 80 80 true
                0 0 80 80 80 80 80 true
                5 10 ef bf bd 41 ef bf bd 41 c2 a5 80 80 true
                2 4 41 ef bf bd 80 80 true
                2 4 80 c2 a5 c2 a5 80 80 true
                1 2 c2 a5 80 80 80 true
                0 0 80 80 80 80 true""", out);
    }

    @Test
    void encodeIntoNeedsAUint8Array() {
        String out = run("""
                const e = new TextEncoder();
                for (const d of [new Uint8ClampedArray(4), new Int8Array(4), new Uint16Array(4), new DataView(new ArrayBuffer(4)),
                                 new ArrayBuffer(4), new SharedArrayBuffer(4), [0, 0], null, undefined]) {
                  try { e.encodeInto('a', d); console.log('no error'); } catch (x) { console.log(x.constructor.name); }
                }
                try { e.encodeInto('a'); } catch (x) { console.log(x.constructor.name); }
                // A detached destination has no room.
                const buffer = new ArrayBuffer(8), view = new Uint8Array(buffer);
                buffer.transfer();
                console.log(JSON.stringify(e.encodeInto('test', view)));
                try { TextEncoder.prototype.encode.call({}, 'x'); } catch (x) { console.log(x.constructor.name); }
                try { Object.getOwnPropertyDescriptor(TextEncoder.prototype, 'encoding').get.call({}); } catch (x) { console.log(x.constructor.name); }
                """);
        assertEquals("TypeError\n".repeat(10) + "{\"read\":0,\"written\":0}\nTypeError\nTypeError", out);
    }

    @Test
    void decodeReplacesEachMaximalSubpartWithOneReplacementCharacter() {
        // Unicode §3.9 table 3-8 and the Encoding Standard's UTF-8 decoder: U+FFFD per maximal subpart.
        String out = run(HEX + """
                const d = new TextDecoder();
                const cases = [
                  [0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64],
                  [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80],
                  [0xF0, 0x9F, 0x41], [0xF0, 0x41, 0xF0], [0xF0, 0x8F, 0x92], [0xE2, 0x82], [0xFF, 0xFE, 0xFD],
                  [0xEF, 0xBF, 0xBD, 0x41], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
                ];
                for (const bytes of cases) console.log(codes(d.decode(new Uint8Array(bytes))));
                """);
        assertEquals("""
                61 fffd fffd fffd 62 fffd 63 fffd fffd 64
                fffd fffd
                fffd fffd fffd
                fffd fffd fffd
                fffd fffd fffd fffd
                fffd fffd
                fffd 41
                fffd 41 fffd
                fffd fffd fffd
                fffd
                fffd fffd fffd
                fffd 41
                1f600
                10ffff""", out);
    }

    @Test
    void fatalModeThrowsATypeErrorAndTheDecoderStaysUsable() {
        String out = run("""
                const d = new TextDecoder('utf-8', { fatal: true });
                console.log(d.fatal, new TextDecoder().fatal, d.ignoreBOM);
                for (const bytes of [[0xFF], [0xC0], [0xE0], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x41, 0xF4, 0x90, 0x80, 0x80]]) {
                  try { d.decode(new Uint8Array(bytes)); console.log('no error'); } catch (e) { console.log(e.constructor.name); }
                }
                console.log(d.decode(new Uint8Array([0xE2, 0x99, 0xA5])), d.decode(new Uint8Array([0xEF, 0xBF, 0xBD])) === '\\uFFFD');
                // An unfinished sequence is an error only at the end of the stream.
                console.log(JSON.stringify(d.decode(new Uint8Array([0xE2, 0x99]), { stream: true })));
                try { d.decode(); } catch (e) { console.log('flush:', e.constructor.name); }
                const u16 = new TextDecoder('utf-16le', { fatal: true });
                for (const bytes of [[0x00], [0x00, 0xD8], [0x00, 0xDC, 0x00, 0x00], [0x00, 0xD8, 0x00, 0x00]]) {
                  try { u16.decode(new Uint8Array(bytes)); console.log('no error'); } catch (e) { console.log(e.constructor.name); }
                }
                """);
        assertEquals("""
                true false false
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError
                ♥ true
                ""
                flush: TypeError
                TypeError
                TypeError
                TypeError
                TypeError""", out);
    }

    @Test
    void streamingKeepsPartialSequencesBetweenCalls() {
        String out = run(HEX + """
                function streamed(label, bytes, size) {
                  const d = new TextDecoder(label);
                  let out = '';
                  for (let i = 0; i < bytes.length; i += size) out += d.decode(new Uint8Array(bytes.slice(i, i + size)), { stream: true });
                  return out + d.decode();
                }
                const text = '\\x00123ABCabc\\x80\\xFF\\u0100\\u1000\\uFFFD\\uD800\\uDC00\\uDBFF\\uDFFF';
                const utf8 = Array.from(new TextEncoder().encode(text));
                const utf16le = [], utf16be = [];
                for (let i = 0; i < text.length; i++) {
                  const c = text.charCodeAt(i);
                  utf16le.push(c & 0xff, c >> 8); utf16be.push(c >> 8, c & 0xff);
                }
                const results = [];
                for (let size = 1; size <= 5; size++) {
                  results.push(streamed('utf-8', utf8, size) === text, streamed('utf-16le', utf16le, size) === text,
                    streamed('utf-16be', utf16be, size) === text);
                }
                console.log(results.every((r) => r), results.length);
                const d = new TextDecoder();
                const step = (bytes, stream) => codes(d.decode(new Uint8Array(bytes), { stream })) || '-';
                console.log(step([0xF0, 0x9F, 0x92], true), step([0xA9], false));
                console.log(step([0xF0, 0x9F], true), step([0x41], true), step([], false));
                console.log(step([0xE0, 0x80], true), step([0x80], false));
                console.log(step([0xF0], true), step([0x8F], true), step([0x92], true), step([], false));
                console.log(step([0xC3], true), codes(d.decode()));
                // The call after a streaming one continues its stream; the call after that starts afresh.
                d.decode(new Uint8Array([0xE2, 0x99]), { stream: true });
                console.log(codes(d.decode(new Uint8Array([0xA5]))), codes(d.decode(new Uint8Array([0xA5]))));
                """);
        assertEquals("""
                true 15
                - 1f4a9
                - fffd 41 -
                fffd fffd fffd
                - fffd fffd fffd -
                - fffd
                2665 fffd""", out);
    }

    @Test
    void streamingDecodeCopiesWhatItKeeps() {
        String out = run("""
                const buf = new Uint8Array([0xEF, 0xBB]), buf2 = new Uint8Array([0xBF, 0x40]);
                const d = new TextDecoder();
                console.log(JSON.stringify(d.decode(buf, { stream: true })));
                buf[0] = 1; buf[1] = 2;
                console.log(d.decode(buf2));
                """);
        assertEquals("\"\"\n@", out);
    }

    @Test
    void byteOrderMarkIsDroppedOnceUnlessIgnoreBOM() {
        String out = run(HEX + """
                const utf8 = [0xEF, 0xBB, 0xBF, 0x61, 0x62];
                const le = [0xFF, 0xFE, 0x61, 0x00], be = [0xFE, 0xFF, 0x00, 0x61];
                for (const [label, bytes] of [['utf-8', utf8], ['utf-16le', le], ['utf-16be', be]]) {
                  const d = new TextDecoder(label), keep = new TextDecoder(label, { ignoreBOM: true });
                  console.log(label, codes(d.decode(new Uint8Array(bytes))), codes(d.decode(new Uint8Array(bytes))),
                    codes(keep.decode(new Uint8Array(bytes))), keep.ignoreBOM);
                }
                // Only the first character of a stream, even when the BOM is split across chunks.
                const d = new TextDecoder();
                let s = d.decode(new Uint8Array([0xEF]), { stream: true });
                s += d.decode(new Uint8Array([0xBB, 0xBF, 0xEF, 0xBB, 0xBF]), { stream: true });
                s += d.decode(new Uint8Array([0x41]));
                console.log(codes(s));
                // A BOM of the other byte order is not a BOM; nor is one after other text.
                console.log(codes(new TextDecoder('utf-16le').decode(new Uint8Array([0xFE, 0xFF, 0x61, 0x00]))));
                console.log(codes(new TextDecoder().decode(new Uint8Array([0x41, 0xEF, 0xBB, 0xBF]))));
                // x-user-defined keeps U+FEFF: only the UTF-8 and UTF-16 decoders drop a BOM.
                console.log(codes(new TextDecoder('x-user-defined').decode(new Uint8Array([0x41, 0x80, 0xFF]))));
                """);
        assertEquals("""
                utf-8 61 62 61 62 feff 61 62 true
                utf-16le 61 61 feff 61 true
                utf-16be 61 61 feff 61 true
                feff 41
                fffe 61
                41 feff
                41 f780 f7ff""", out);
    }

    @Test
    void utf16DecodesSurrogatePairsAndReplacesLoneOnes() {
        String out = run(HEX + """
                const le = new TextDecoder('utf-16le'), be = new TextDecoder('utf-16be');
                console.log(codes(le.decode(new Uint8Array([0x7A, 0x00, 0x34, 0xD8, 0x1E, 0xDD, 0xFE, 0xFF]))));
                console.log(codes(be.decode(new Uint8Array([0x00, 0x7A, 0xD8, 0x34, 0xDD, 0x1E, 0xFF, 0xFE]))));
                for (const bytes of [[0x00, 0xD8], [0x00, 0xDC], [0x00, 0xD8, 0x00, 0x00], [0x00, 0xDC, 0x00, 0xD8],
                                     [0x00, 0xD8, 0x00, 0xD8, 0x00, 0xDC], [0x41, 0x00, 0x42], [0x00, 0xD8, 0x41]]) {
                  console.log(codes(le.decode(new Uint8Array(bytes))));
                }
                """);
        assertEquals("""
                7a 1d11e fffe
                7a 1d11e fffe
                fffd
                fffd
                fffd 0
                fffd fffd
                fffd 10000
                41 fffd
                fffd""", out);
    }

    @Test
    void labelsAreLookedUpAsTheStandardSays() {
        String out = run("""
                const names = [];
                for (const label of [undefined, 'utf8', ' UTF-8\\n', '\\tunicode-1-1-utf-8 ', 'x-unicode20utf8', 'UTF-16', 'utf-16le',
                                     'csunicode', 'ucs-2', 'unicodefffe', 'UTF-16BE', 'x-user-defined', { toString() { return 'utf8'; } }]) {
                  names.push(new TextDecoder(label).encoding);
                }
                console.log(names.join());
                for (const label of ['', 'foo', 'utf-7', 'utf-32', '\\u000butf-8', 'utf-8\\u00a0', '\\u0000utf-8', 'utf\\u20138',
                                     'replacement', 'iso-2022-kr', 'hz-gb-2312', null, '\\u212Aoi8-r']) {
                  try { new TextDecoder(label); console.log('no error for', JSON.stringify(label)); } catch (e) { if (!(e instanceof RangeError)) console.log(e); }
                }
                // Options are converted before the label is looked up.
                for (const [label, options] of [['utf-8', 1], ['utf-8', 'x'], ['nope', true]]) {
                  try { new TextDecoder(label, options); } catch (e) { console.log(e.constructor.name); }
                }
                console.log(new TextEncoder('latin1').encoding, new TextDecoder('utf-8', null).fatal);
                """);
        assertEquals("""
                utf-8,utf-8,utf-8,utf-8,utf-8,utf-16le,utf-16le,utf-16le,utf-16le,utf-16be,utf-16be,x-user-defined,utf-8
                TypeError
                TypeError
                TypeError
                utf-8 false""", out);
    }

    @Test
    void decodeAcceptsEveryBufferSource() {
        String out = run("""
                const bytes = new Uint8Array([0xFF, 0x68, 0x69, 0xE2, 0x99, 0xA5, 0xFF]);
                const d = new TextDecoder();
                const sab = new SharedArrayBuffer(3); new Uint8Array(sab).set([0x68, 0x69, 0x21]);
                const resizable = new ArrayBuffer(2, { maxByteLength: 8 }); new Uint8Array(resizable).set([0x6F, 0x6B]);
                console.log([
                  d.decode(bytes.subarray(1, 6)), d.decode(bytes.buffer.slice(1, 3)), d.decode(new DataView(bytes.buffer, 3, 3)),
                  d.decode(new Uint16Array(bytes.buffer.slice(1, 3))), d.decode(sab), d.decode(new Uint8Array(sab, 1)),
                  d.decode(resizable), d.decode(new Uint8Array(0)), d.decode(undefined), d.decode(),
                ].join('|'));
                const detached = new ArrayBuffer(4);
                const view = new Uint8Array(detached);
                detached.transfer();
                console.log(JSON.stringify(d.decode(detached)), JSON.stringify(d.decode(view)));
                for (const input of [null, 'abc', 42, {}, [104, 105], { buffer: new ArrayBuffer(1) }]) {
                  try { d.decode(input); console.log('no error'); } catch (e) { console.log(e.constructor.name); }
                }
                for (const options of [1, 'stream']) {
                  try { d.decode(undefined, options); console.log('no error'); } catch (e) { console.log(e.constructor.name); }
                }
                try { TextDecoder.prototype.decode.call({}, new Uint8Array(1)); } catch (e) { console.log(e.constructor.name); }
                try { Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'encoding').get.call(new TextEncoder()); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("""
                hi♥|hi|♥|hi|hi!|i!|ok|||
                "" ""
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError""", out);
    }

    @Test
    void interfacesLookLikeWebIdl() {
        String out = run("""
                const desc = Object.getOwnPropertyDescriptor(globalThis, 'TextDecoder');
                console.log(desc.writable, desc.enumerable, desc.configurable, TextDecoder.length, TextEncoder.length);
                console.log(Object.prototype.toString.call(new TextDecoder()), Object.prototype.toString.call(new TextEncoder()));
                console.log(Object.keys(TextDecoder.prototype).join(), Object.keys(TextEncoder.prototype).join());
                try { TextDecoder(); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("""
                true false true 0 0
                [object TextDecoder] [object TextEncoder]
                encoding,fatal,ignoreBOM,decode encoding,encode,encodeInto
                TypeError""", out);
    }

    // Short ASCII input is decoded in JS, the rest by the op; encode and encodeInto take different
    // Java paths. All must agree.
    @Test
    void shortAndLongInputsTakeDifferentPathsToTheSameResult() {
        String out = run("""
                const e = new TextEncoder(), d = new TextDecoder();
                const pieces = ['a', '~', '\\u007f', '\\u0080', '\\u00e9', '\\u07ff', '\\u0800', '\\u20ac', '\\uffff', '\\ud800', '\\udfff',
                                '\\ud83d\\ude00', '\\udbff\\udfff', '\\u0000'];
                let problems = 0, checked = 0, seed = 1;
                const random = (n) => { seed = (seed * 48271) % 2147483647; return seed % n; };
                for (let length = 0; length <= 40; length++) {
                  for (let round = 0; round < 6; round++) {
                    let s = '';
                    for (let i = 0; i < length; i++) s += pieces[round === 0 ? 0 : random(pieces.length)];
                    const viaEncode = e.encode(s);
                    const big = new Uint8Array(200);
                    const { written } = e.encodeInto(s, big);
                    const same = written === viaEncode.length && viaEncode.every((b, i) => b === big[i]);
                    // Decoding alone (short: JS when ASCII) and inside a long buffer (always the op).
                    const padded = new Uint8Array(viaEncode.length + 40).fill(0x78);
                    padded.set(viaEncode);
                    const sameText = d.decode(viaEncode) === d.decode(padded).slice(0, -40) && d.decode(viaEncode) === s.toWellFormed();
                    if (!same || !sameText) { problems++; console.log('differs:', JSON.stringify(s)); }
                    checked++;
                  }
                }
                // Short ASCII chunks in the middle of a stream: a pending sequence goes to the op first.
                const sd = new TextDecoder();
                const parts = [[0xE2], [0x82, 0xAC, 0x41], [0x42], [0xF0, 0x9F], [0x98, 0x80]].map((p) => sd.decode(new Uint8Array(p), { stream: true }));
                console.log(checked, problems, JSON.stringify(parts), JSON.stringify(sd.decode(new Uint8Array([0x41, 0x42]))));
                """);
        assertEquals("246 0 [\"\",\"€A\",\"B\",\"\",\"😀\"] \"AB\"", out);
    }

    @Test
    void megabytesRoundTripInOneCallAndInChunks() {
        String out = run("""
                const text = ('ascii text, ' + 'é ü ß ' + '€ 水 ' + '😀 𝄞 ').repeat(40000);
                const bytes = new TextEncoder().encode(text);
                const d = new TextDecoder();
                let chunked = '';
                for (let i = 0; i < bytes.length; i += 65537) chunked += d.decode(bytes.subarray(i, i + 65537), { stream: true });
                chunked += d.decode();
                const into = new Uint8Array(bytes.length);
                const r = new TextEncoder().encodeInto(text, into);
                console.log(bytes.length, new TextDecoder().decode(bytes) === text, chunked === text,
                  r.read === text.length, r.written === bytes.length, d.decode(into) === text);
                """);
        assertEquals("1560000 true true true true true", out);
    }

    // The JDK fast path must give exactly what the spec's byte-by-byte decoder gives, for any input
    // and any split into chunks.
    @Test
    void utf8FastPathAgreesWithTheSpecDecoderOnRandomInput() {
        Random random = new Random(42);
        byte[] pool = {0x41, 0x7F, (byte) 0x80, (byte) 0x8F, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF, (byte) 0xC0,
            (byte) 0xC2, (byte) 0xDF, (byte) 0xE0, (byte) 0xE1, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4,
            (byte) 0xF5, (byte) 0xFF, (byte) 0xBB, (byte) 0xBD};
        Utf8Decoder decoder = new Utf8Decoder();
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : pool[random.nextInt(pool.length)];
            }
            boolean fatal = random.nextBoolean();
            StreamDecoder.State state = new StreamDecoder.State();
            String expected = Utf8Decoder.decodeBySpec(bytes, 0, bytes.length, state, true, fatal);
            // The same bytes in random chunks.
            StringBuilder actual = new StringBuilder();
            StreamDecoder.State streamState = new StreamDecoder.State();
            int i = 0;
            boolean failed = false;
            while (true) {
                int size = Math.min(bytes.length - i, random.nextInt(4));
                boolean last = i + size == bytes.length;
                String part = decoder.decode(bytes, i, size, streamState, last, fatal);
                if (part == null) {
                    failed = true;
                    break;
                }
                actual.append(part);
                i += size;
                if (last) {
                    break;
                }
            }
            String context = "input " + java.util.HexFormat.ofDelimiter(" ").formatHex(bytes) + " fatal=" + fatal;
            if (expected == null) {
                assertEquals(true, failed, context);
            } else {
                assertEquals(expected, failed ? null : actual.toString(), context);
            }
        }
    }

    // encodeInto's bulk path against the spec's loop (§7.4 steps 3-4: code point by code point).
    @Test
    void encodeIntoAgreesWithTheSpecLoopOnRandomInput() {
        Random random = new Random(7);
        String[] pieces = {"a", "\u00e9", "\u20ac", "\ud83d\ude00", "\ufffd", "z"};
        for (int round = 0; round < 5_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(10); i > 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            int capacity = 1 + random.nextInt(3 * text.length() + 2);
            int[] read = new int[1];
            byte[] actual = Utf8Encoder.encodeInto(text, capacity, read);
            // The spec's loop.
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            int units = 0;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                byte[] one = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (expected.size() + one.length > capacity) {
                    break;
                }
                expected.writeBytes(one);
                units += Character.charCount(cp);
                i += Character.charCount(cp);
            }
            String context = "text " + text + " capacity " + capacity;
            assertEquals(java.util.HexFormat.of().formatHex(expected.toByteArray()), java.util.HexFormat.of().formatHex(actual), context);
            assertEquals(units, read[0], context);
        }
    }

    @Test
    void unfinishedTailIsOnlyAValidPrefix() {
        byte[] b = {0x41, (byte) 0xE0, (byte) 0xA0};
        assertEquals(1, Utf8Decoder.unfinishedTailStart(b, 0, 3));
        b = new byte[] {0x41, (byte) 0xE0, (byte) 0x80};
        assertEquals(3, Utf8Decoder.unfinishedTailStart(b, 0, 3));
        b = new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98};
        assertEquals(0, Utf8Decoder.unfinishedTailStart(b, 0, 3));
        b = new byte[] {(byte) 0xC3, (byte) 0xA9};
        assertEquals(2, Utf8Decoder.unfinishedTailStart(b, 0, 2));
        assertNull(new Utf8Decoder().decode(new byte[] {(byte) 0xC3}, 0, 1, new StreamDecoder.State(), true, true));
    }
}
