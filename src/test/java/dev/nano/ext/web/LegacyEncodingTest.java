package dev.nano.ext.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * The legacy encodings of the Encoding Standard (§9-§14): the index tables NANO builds from the JDK's
 * charsets, compared entry by entry with the standard's indexes (WPT's copies, read at test time from
 * {@code -Dwpt.dir}, default {@code ../shared/wpt}; skipped without them), the decoders' error and
 * "restore" rules, streaming across every chunk boundary, fatal mode, and TextDecoder from JS.
 */
class LegacyEncodingTest {
    private static final String[] LEGACY = {
        "IBM866", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7",
        "ISO-8859-8", "ISO-8859-8-I", "ISO-8859-10", "ISO-8859-13", "ISO-8859-14", "ISO-8859-15",
        "ISO-8859-16", "KOI8-R", "KOI8-U", "macintosh", "windows-874", "windows-1250", "windows-1251",
        "windows-1252", "windows-1253", "windows-1254", "windows-1255", "windows-1256", "windows-1257",
        "windows-1258", "x-mac-cyrillic", "GBK", "gb18030", "Big5", "EUC-JP", "ISO-2022-JP", "Shift_JIS",
        "EUC-KR",
    };

    // ---- the index tables against the standard's ----

    private static Path wptEncoding() {
        String dir = System.getProperty("wpt.dir");
        Path base = dir != null ? Path.of(dir)
                : Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve("../shared/wpt");
        Path encoding = base.resolve("encoding");
        assumeTrue(Files.isDirectory(encoding), "WPT encoding folder not found at " + encoding + " (set -Dwpt.dir): skipped");
        return encoding;
    }

    private static String read(String relative) throws IOException {
        Path file = wptEncoding().resolve(relative);
        assumeTrue(Files.exists(file), file + " missing: skipped");
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** The numbers (null: -1) of the first JS array literal in {@code text}. */
    private static int[] jsArray(String text) {
        int open = text.indexOf('[');
        String[] items = text.substring(open + 1, text.indexOf(']', open)).split(",");
        int[] values = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            values[i] = item.equals("null") ? -1 : Integer.parseInt(item);
        }
        return values;
    }

    /** Compares every pointer; NANO's tables use 0 for "none", beyond the standard's array too. */
    private static void assertIndex(String name, int[] expected, int size, java.util.function.IntUnaryOperator actual) {
        List<String> wrong = new ArrayList<>();
        for (int pointer = 0; pointer < Math.max(size, expected.length); pointer++) {
            int want = pointer < expected.length && expected[pointer] >= 0 ? expected[pointer] : 0;
            int got = pointer < size ? actual.applyAsInt(pointer) : 0;
            if (want != got && wrong.size() < 20) {
                wrong.add(String.format("%d: U+%04X, not U+%04X", pointer, want, got));
            }
        }
        assertEquals(List.of(), wrong, "index " + name + " differs from the standard's");
    }

    @Test
    void singleByteIndexesAreTheStandards() throws IOException {
        // single-byte-decoder.window.js carries the standard's indexes.json entries for the 28 encodings.
        String text = read("single-byte-decoder.window.js");
        Matcher m = Pattern.compile("\"([^\"]+)\":(\\[[^\\]]*\\])").matcher(text);
        int seen = 0;
        while (m.find()) {
            String name = m.group(1);
            char[] index = ((SingleByteDecoder) Encodings.decoder(Encodings.lookup(name))).index();
            assertIndex(name, jsArray(m.group(2)), 128, pointer -> index[pointer]);
            if (name.equals("ISO-8859-8")) {
                char[] logical = ((SingleByteDecoder) Encodings.decoder(Encodings.lookup("ISO-8859-8-I"))).index();
                assertIndex("ISO-8859-8-I", jsArray(m.group(2)), 128, pointer -> logical[pointer]);
            }
            seen++;
        }
        assertEquals(27, seen, "tables found in single-byte-decoder.window.js");
    }

    @Test
    void jis0208AndJis0212AreTheStandards() throws IOException {
        char[] jis0208 = LegacyIndexes.jis0208();
        assertIndex("jis0208", jsArray(read("legacy-mb-japanese/shift_jis/jis0208_index.js")), jis0208.length, p -> jis0208[p]);
        char[] jis0212 = LegacyIndexes.jis0212();
        assertIndex("jis0212", jsArray(read("legacy-mb-japanese/euc-jp/jis0212_index.js")), jis0212.length, p -> jis0212[p]);
    }

    @Test
    void eucKrIndexIsTheStandards() throws IOException {
        char[] index = LegacyIndexes.eucKr();
        assertIndex("EUC-KR", jsArray(read("legacy-mb-korean/euc-kr/euckr_index.js")), index.length, p -> index[p]);
    }

    @Test
    void big5IndexIsTheStandards() throws IOException {
        int[] index = LegacyIndexes.big5();
        assertIndex("Big5", jsArray(read("legacy-mb-tchinese/big5/big5_index.js")), index.length, p -> index[p]);
    }

    @Test
    void gb18030RangesAreTheStandards() throws IOException {
        // ranges.js: [pointer, "code point"] per line, from index-gb18030-ranges.txt.
        Matcher m = Pattern.compile("\\[(\\d+), \"\\\\u\\{?([0-9A-Fa-f]{4,6})\\}?\"\\]").matcher(read("legacy-mb-schinese/gb18030/resources/ranges.js"));
        List<int[]> ranges = new ArrayList<>();
        while (m.find()) {
            ranges.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2), 16)});
        }
        assertEquals(207, ranges.size(), "ranges in ranges.js");
        assertEquals(189000, ranges.removeLast()[0], "the last range, U+10000 on, is checked below");
        // §5 "index gb18030 ranges code point", by the book, for every BMP pointer.
        int range = 0;
        List<String> wrong = new ArrayList<>();
        for (int pointer = 0; pointer <= 39419; pointer++) {
            while (range + 1 < ranges.size() && ranges.get(range + 1)[0] <= pointer) {
                range++;
            }
            int want = pointer == 7457 ? 0xE7C7 : ranges.get(range)[1] + pointer - ranges.get(range)[0];
            int got = LegacyIndexes.gb18030RangesCodePoint(pointer);
            if (want != got && wrong.size() < 20) {
                wrong.add(String.format("%d: U+%04X, not U+%04X", pointer, want, got));
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(-1, LegacyIndexes.gb18030RangesCodePoint(39420));
        assertEquals(-1, LegacyIndexes.gb18030RangesCodePoint(188999));
        assertEquals(0x10000, LegacyIndexes.gb18030RangesCodePoint(189000));
        assertEquals(0x10FFFF, LegacyIndexes.gb18030RangesCodePoint(1237575));
        assertEquals(-1, LegacyIndexes.gb18030RangesCodePoint(1237576));
    }

    @Test
    void gb18030IndexHasTheStandardsRevisions() {
        // WPT has no copy of index gb18030; its entries are the JDK's GB18030-2022 two-byte codes,
        // except 0xA3 0xA0 (§5). Every pointer has a code point.
        char[] index = LegacyIndexes.gb18030();
        for (int pointer = 0; pointer < index.length; pointer++) {
            assertTrue(index[pointer] != 0, "pointer " + pointer + " has no code point");
        }
        assertEquals("\u3000\u3000\u1E3F\uFE10\uFE12\u9FB4\u9FBB\u4E02\uE4C5\u20AC",
                decode("gb18030", false, bytes(0xA3, 0xA0, 0xA1, 0xA1, 0xA8, 0xBC, 0xA6, 0xD9, 0xA6, 0xDA, 0xFE, 0x59, 0xFE,
                        0xA0, 0x81, 0x40, 0xFE, 0xFE, 0x80)));
    }

    // ---- the decoders ----

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Decodes the chunks as one stream (the last one flushes); null on a fatal error. */
    private static String decode(String encoding, boolean fatal, byte[]... chunks) {
        StreamDecoder decoder = Encodings.decoder(Encodings.lookup(encoding));
        StreamDecoder.State state = new StreamDecoder.State();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks.length; i++) {
            String part = decoder.decode(chunks[i], 0, chunks[i].length, state, i == chunks.length - 1, fatal);
            if (part == null) {
                return null;
            }
            text.append(part);
        }
        assertEquals(0, state.value, "state after the flush");
        return text.toString();
    }

    @Test
    void gb18030RestoresBytesAsTheStandardSays() {
        assertEquals("\uFFFD(", decode("gbk", false, bytes(0x81, 0x28)));
        assertEquals("\uFFFD\u007F", decode("gbk", false, bytes(0x81, 0x7F)));
        assertEquals("\uFFFD0\uFFFD)", decode("gb18030", false, bytes(0x81, 0x30, 0xFE, 0x29)));
        assertEquals("\uFFFD0\uFFFD", decode("gb18030", false, bytes(0x81, 0x30, 0xFF)));
        // « second, third, byte » restored: '0', then 0x81 0x41 decodes as a two-byte code.
        assertEquals("\uFFFD0\u4E04", decode("gb18030", false, bytes(0x81, 0x30, 0x81, 0x41)));
        assertEquals("\uFFFD", decode("gb18030", false, bytes(0x81, 0x30, 0x81)));
        assertEquals("\u00A5\uE7C7\u1E40\uFFFF\uD800\uDC00\uDBFF\uDFFF\uFFFD",
                decode("gb18030", false, bytes(0x81, 0x30, 0x84, 0x36, 0x81, 0x35, 0xF4, 0x37, 0x81, 0x35, 0xF4, 0x38,
                        0x84, 0x31, 0xA4, 0x39, 0x90, 0x30, 0x81, 0x30, 0xE3, 0x32, 0x9A, 0x35, 0x84, 0x31, 0xA5, 0x30)));
        // 0x84 0x31 0xA4 0x37 is U+FFFD itself: not an error.
        assertEquals("\uFFFD", decode("gb18030", true, bytes(0x84, 0x31, 0xA4, 0x37)));
        assertNull(decode("gb18030", true, bytes(0x84, 0x31, 0xA5, 0x30)));
        assertNull(decode("gb18030", true, bytes(0x81, 0x30)));
    }

    @Test
    void big5DecodesPairsSpecialPointersAndErrors() {
        assertEquals("\u4E00\u00CA\u0304\u00CA\u030C\u00EA\u0304\u00EA\u030C\u43F0\uD85C\uDE67",
                decode("big5", false, bytes(0xA4, 0x40, 0x88, 0x62, 0x88, 0x64, 0x88, 0xA3, 0x88, 0xA5, 0x87, 0x40, 0x87, 0x45)));
        // An ASCII trail byte after a bad pair is decoded again on its own; other bytes are consumed.
        assertEquals("\uFFFDA\uFFFD\uFFFD", decode("big5", false, bytes(0x81, 0x41, 0x81, 0xA0, 0x80)));
        assertEquals("\uFFFD", decode("big5-hkscs", false, bytes(0xFE)));
        assertNull(decode("big5", true, bytes(0x81, 0x41)));
    }

    @Test
    void japaneseDecodersFollowTheirStateMachines() {
        assertEquals("\u3042\uFF61\u02D8\uFFFDA\uFFFD\uFFFD",
                decode("euc-jp", false, bytes(0xA4, 0xA2, 0x8E, 0xA1, 0x8F, 0xA2, 0xAF, 0x8E, 0x41, 0x8F, 0xA1, 0xA1, 0x80)));
        assertEquals("\uFFFDA\uFFFD", decode("euc-jp", false, bytes(0x8F, 0x41, 0x8F, 0xA1)));
        assertEquals("\u3042\uE000\uE757\u0080\uFF61\uFF9F\uFFFD \uFFFD\uFFFD\u2170",
                decode("shift_jis", false, bytes(0x82, 0xA0, 0xF0, 0x40, 0xF9, 0xFC, 0x80, 0xA1, 0xDF, 0x81, 0x20, 0xA0, 0xFD,
                        0xFA, 0x40)));
        assertEquals("\\]~\u00A5]\u203E\uFF90\u4F69A", decode("iso-2022-jp", false,
                bytes(0x5C, 0x5D, 0x7E, 0x1B, 0x28, 0x4A, 0x5C, 0x5D, 0x7E, 0x1B, 0x28, 0x49, 0x50, 0x1B, 0x24, 0x42, 0x50, 0x50,
                        0x1B, 0x28, 0x42, 0x41)));
        // A lone ESC at the end, and an unfinished two-byte code at the end, are one error each.
        assertEquals("A\uFFFD", decode("iso-2022-jp", false, bytes(0x41, 0x1B)));
        assertEquals("\uFFFD", decode("iso-2022-jp", false, bytes(0x1B, 0x24, 0x42, 0x50)));
        assertEquals("\uFFFD$", decode("iso-2022-jp", false, bytes(0x1B, 0x24)));
        assertNull(decode("iso-2022-jp", true, bytes(0x1B, 0x28, 0x42, 0x1B, 0x28, 0x42)));
        assertEquals("P", decode("iso-2022-jp", true, bytes(0x1B, 0x28, 0x42, 0x50)));
    }

    @Test
    void eucKrAndSingleByteDecoders() {
        assertEquals("\uAC00\uAC02\uFFFDA\uFFFD", decode("euc-kr", false, bytes(0xB0, 0xA1, 0x81, 0x41, 0xC9, 0x41, 0xFF)));
        assertEquals("\u20AC\u0081\u00FF", decode("windows-1252", false, bytes(0x80, 0x81, 0xFF)));
        assertEquals("\u05BA", decode("windows-1255", false, bytes(0xCA)));
        assertEquals("\u045E\u040E", decode("koi8-u", false, bytes(0xAE, 0xBE)));
        assertEquals("\u20AC\u0490", decode("x-mac-ukrainian", false, bytes(0xFF, 0xA2)));
        assertEquals("\u0138\u1E02\u0177", decode("latin6", false, bytes(0xFF)) + decode("iso-8859-14", false, bytes(0xA1, 0xFE)));
        assertEquals("a\uFFFDb", decode("iso-8859-3", false, bytes(0x61, 0xA5, 0x62)));
        assertNull(decode("iso-8859-3", true, bytes(0x61, 0xA5, 0x62)));
    }

    @Test
    void replacementDecoderGivesOneErrorForTheWholeStream() {
        StreamDecoder decoder = new ReplacementDecoder();
        StreamDecoder.State state = new StreamDecoder.State();
        assertEquals("", decoder.decode(new byte[0], 0, 0, state, false, false));
        assertEquals("\uFFFD", decoder.decode(bytes(1, 2), 0, 2, state, false, false));
        assertEquals("", decoder.decode(bytes(3), 0, 1, state, false, false));
        assertEquals("", decoder.decode(new byte[0], 0, 0, state, true, false));
        assertEquals(0, state.value);
        assertNull(decoder.decode(bytes(1), 0, 1, state, true, true));
    }

    /** Random input with many multi-byte lead and trail bytes and ISO-2022-JP escapes. */
    private static byte[] randomInput(Random random, int length) {
        int[] interesting = {0x1B, 0x24, 0x28, 0x40, 0x42, 0x49, 0x4A, 0x30, 0x39, 0x41, 0x7F, 0x80, 0x81, 0x8E, 0x8F,
            0xA1, 0xA4, 0xB0, 0xC6, 0xDF, 0xE0, 0xF0, 0xFE, 0xFF, 0x0E, 0x5C, 0x7E};
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (random.nextInt(3) == 0 ? interesting[random.nextInt(interesting.length)] : random.nextInt(256));
        }
        return b;
    }

    @Test
    void streamingInAnyChunksGivesTheOneShotResult() {
        Random random = new Random(20240601);
        for (String encoding : LEGACY) {
            for (int round = 0; round < 400; round++) {
                byte[] input = randomInput(random, random.nextInt(24));
                String whole = decode(encoding, false, input);
                // Split at every pair of points (at most three chunks), then as one byte per chunk.
                for (int a = 0; a <= input.length; a += 1 + random.nextInt(3)) {
                    for (int b = a; b <= input.length; b += 1 + random.nextInt(4)) {
                        byte[][] chunks = {slice(input, 0, a), slice(input, a, b), slice(input, b, input.length)};
                        assertEquals(whole, decode(encoding, false, chunks), () -> encoding + " " + hex(input));
                    }
                }
                byte[][] single = new byte[input.length + 1][];
                for (int i = 0; i < input.length; i++) {
                    single[i] = slice(input, i, i + 1);
                }
                single[input.length] = new byte[0];
                assertEquals(whole, decode(encoding, false, single), () -> encoding + " " + hex(input));
                // Fatal mode fails exactly when replacement mode replaced something.
                String fatal = decode(encoding, true, input);
                if (fatal != null) {
                    assertEquals(whole, fatal, () -> encoding + " " + hex(input));
                } else {
                    assertTrue(whole.indexOf('\uFFFD') >= 0, () -> encoding + " " + hex(input));
                }
                if (whole.indexOf('\uFFFD') < 0) {
                    assertNotNull(fatal, () -> encoding + " " + hex(input));
                }
            }
        }
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02X ", x & 0xFF));
        }
        return s.toString().trim();
    }

    @Test
    void largeInputsDecodeInOneCall() {
        // 1 MB of two-byte codes: the output buffer grows where it must (Big5 special pointers).
        byte[] big5 = new byte[1 << 20];
        for (int i = 0; i < big5.length; i += 2) {
            big5[i] = (byte) 0x88;
            big5[i + 1] = (byte) 0x62;
        }
        assertEquals(big5.length, decode("big5", false, big5).length());
        byte[] sjis = new byte[1 << 20];
        for (int i = 0; i < sjis.length; i += 2) {
            sjis[i] = (byte) 0x82;
            sjis[i + 1] = (byte) 0xA0;
        }
        assertEquals("\u3042".repeat(sjis.length / 2), decode("shift_jis", false, sjis));
    }

    // ---- TextDecoder from JS ----

    private static String run(String code) {
        return JsHarness.runChecked(code);
    }

    @Test
    void textDecoderDecodesEveryLegacyEncoding() {
        String out = run("""
                const codes = (s) => Array.from(s, (c) => c.codePointAt(0).toString(16)).join(' ');
                const samples = {
                  'windows-1252': [0x80, 0x41], 'latin1': [0xE9], 'koi8-r': [0xC1], 'ibm866': [0x80], 'macintosh': [0xDB],
                  'gbk': [0xC4, 0xE3], 'gb18030': [0x94, 0x39, 0xFC, 0x36], 'big5': [0xA4, 0x40], 'euc-jp': [0xA4, 0xA2],
                  'iso-2022-jp': [0x1B, 0x24, 0x42, 0x24, 0x22], 'shift_jis': [0x82, 0xA0], 'euc-kr': [0xB0, 0xA1],
                };
                for (const [label, bytes] of Object.entries(samples)) {
                  const d = new TextDecoder(label);
                  console.log(label, d.encoding, codes(d.decode(new Uint8Array(bytes))));
                }
                // Streaming: one byte per call, the state kept between calls.
                for (const [label, bytes] of Object.entries(samples)) {
                  const d = new TextDecoder(label);
                  let s = '';
                  for (const b of bytes) s += d.decode(new Uint8Array([b]), { stream: true });
                  s += d.decode();
                  if (s !== new TextDecoder(label).decode(new Uint8Array(bytes))) console.log('streaming differs for', label);
                }
                // Fatal: a TypeError, and the decoder is usable again; an unfinished code at the end is an error.
                const f = new TextDecoder('shift_jis', { fatal: true });
                try { f.decode(new Uint8Array([0x82])); } catch (e) { console.log(e.constructor.name); }
                console.log(f.fatal, codes(f.decode(new Uint8Array([0x82, 0xA0]))));
                console.log(codes(f.decode(new Uint8Array([0x82]), { stream: true })) === '',
                            codes(f.decode(new Uint8Array([0xA0]), { stream: true })));
                try { new TextDecoder('iso-8859-6', { fatal: true }).decode(new Uint8Array([0xA1])); } catch (e) { console.log(e.constructor.name); }
                // A byte order mark is only special for UTF-8 and UTF-16: here it is three characters.
                for (const ignoreBOM of [false, true]) {
                  console.log(codes(new TextDecoder('windows-1252', { ignoreBOM }).decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x41]))));
                }
                // TextEncoder stays UTF-8 whatever it is given.
                console.log(new TextEncoder('shift_jis').encoding, new TextEncoder('gbk').encode('\\u3042').join());
                try { new TextDecoder('replacement'); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("""
                windows-1252 windows-1252 20ac 41
                latin1 windows-1252 e9
                koi8-r koi8-r 430
                ibm866 ibm866 410
                macintosh macintosh 20ac
                gbk gbk 4f60
                gb18030 gb18030 1f600
                big5 big5 4e00
                euc-jp euc-jp 3042
                iso-2022-jp iso-2022-jp 3042
                shift_jis shift_jis 3042
                euc-kr euc-kr ac00
                TypeError
                true 3042
                true 3042
                TypeError
                ef bb bf 41
                ef bb bf 41
                utf-8 227,129,130
                RangeError""", out);
    }
}
