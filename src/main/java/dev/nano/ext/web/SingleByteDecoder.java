package dev.nano.ext.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;

/**
 * The single-byte decoder (Encoding Standard §9.1) with one of the standard's single-byte indexes.
 * Each index is built on first use from the JDK charset named in {@link #jdkCharset}, patched where
 * the standard's index differs (see {@link #patch}); LegacyEncodingTest compares all 28 with the
 * standard's tables.
 */
final class SingleByteDecoder implements StreamDecoder {
    private final String encoding;
    // Bytes 0x80-0xFF; 0 is "no code point" (no index maps a byte to U+0000). Built once, racy but
    // idempotent: two threads at most build the same table.
    private volatile char[] index;

    SingleByteDecoder(String encoding) {
        this.encoding = encoding;
    }

    @Override
    public String decode(byte[] bytes, int off, int len, State state, boolean flush, boolean fatal) {
        char[] table = index();
        char[] out = new char[len];
        for (int i = 0; i < len; i++) {
            int b = bytes[off + i] & 0xFF;
            if (b < 0x80) {
                out[i] = (char) b;
                continue;
            }
            char c = table[b - 0x80];
            if (c == 0) {
                if (fatal) {
                    return null;
                }
                c = TextOutput.REPLACEMENT;
            }
            out[i] = c;
        }
        state.value = 0;
        return new String(out);
    }

    char[] index() {
        char[] table = index;
        if (table == null) {
            table = build(encoding);
            index = table;
        }
        return table;
    }

    private static char[] build(String encoding) {
        byte[] high = new byte[128];
        for (int i = 0; i < 128; i++) {
            high[i] = (byte) (0x80 + i);
        }
        char[] table = new char[128];
        CharsetDecoder decoder = LegacyIndexes.strictDecoder(jdkCharset(encoding));
        ByteBuffer in = ByteBuffer.wrap(high);
        CharBuffer out = CharBuffer.wrap(table);
        // Unmapped bytes are skipped and stay 0.
        while (in.hasRemaining()) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                in.position(in.position() + result.length());
                out.position(out.position() + result.length());
            } else {
                break;
            }
        }
        patch(encoding, table);
        return table;
    }

    /** The JDK charset whose upper half is (nearly) the standard's index for {@code encoding}. */
    private static String jdkCharset(String encoding) {
        return switch (encoding) {
            case "ISO-8859-8-I" -> "ISO-8859-8"; // same index, distinct name (§9 note)
            case "ISO-8859-10", "ISO-8859-14" -> "ISO-8859-1"; // no JDK charset: patched from Latin-1
            case "macintosh" -> "x-MacRoman";
            case "windows-874" -> "x-windows-874";
            // Mac OS Cyrillic as revised in Mac OS 9 (Ukrainian letters at 0xA2/0xB6), which is the
            // JDK's x-MacUkraine rather than its older x-MacCyrillic.
            case "x-mac-cyrillic" -> "x-MacUkraine";
            default -> encoding; // IBM866, ISO-8859-x, KOI8-R, KOI8-U and windows-125x: same names
        };
    }

    private static void patch(String encoding, char[] table) {
        switch (encoding) {
            // Latin-6 (Nordic): ISO/IEC 8859-10 differs from Latin-1 at these bytes.
            case "ISO-8859-10" -> set(table, 0xA1,
                    "\u0104\u0112\u0122\u012A\u0128\u0136\u00A7\u013B\u0110\u0160\u0166\u017D\u00AD\u016A\u014A"
                    + "\u00B0\u0105\u0113\u0123\u012B\u0129\u0137\u00B7\u013C\u0111\u0161\u0167\u017E\u2015\u016B\u014B"
                    + "\u0100\u00C1\u00C2\u00C3\u00C4\u00C5\u00C6\u012E\u010C\u00C9\u0118\u00CB\u0116\u00CD\u00CE\u00CF"
                    + "\u00D0\u0145\u014C\u00D3\u00D4\u00D5\u00D6\u0168\u00D8\u0172\u00DA\u00DB\u00DC\u00DD\u00DE\u00DF"
                    + "\u0101\u00E1\u00E2\u00E3\u00E4\u00E5\u00E6\u012F\u010D\u00E9\u0119\u00EB\u0117\u00ED\u00EE\u00EF"
                    + "\u00F0\u0146\u014D\u00F3\u00F4\u00F5\u00F6\u0169\u00F8\u0173\u00FA\u00FB\u00FC\u00FD\u00FE\u0138");
            // Latin-8 (Celtic): ISO/IEC 8859-14 differs from Latin-1 in 0xA1-0xBF and at six letters.
            case "ISO-8859-14" -> {
                set(table, 0xA1, "\u1E02\u1E03\u00A3\u010A\u010B\u1E0A\u00A7\u1E80\u00A9\u1E82\u1E0B\u1EF2\u00AD\u00AE\u0178"
                        + "\u1E1E\u1E1F\u0120\u0121\u1E40\u1E41\u00B6\u1E56\u1E81\u1E57\u1E83\u1E60\u1EF3\u1E84\u1E85\u1E61");
                set(table, 0xD0, "\u0174");
                set(table, 0xD7, "\u1E6A");
                set(table, 0xDE, "\u0176");
                set(table, 0xF0, "\u0175");
                set(table, 0xF7, "\u1E6B");
                set(table, 0xFE, "\u0177");
            }
            // KOI8-U as the standard has it (KOI8-RU): Belarusian short u at 0xAE and 0xBE, where
            // RFC 2319's KOI8-U (the JDK's) has box drawing.
            case "KOI8-U" -> {
                set(table, 0xAE, "\u045E");
                set(table, 0xBE, "\u040E");
            }
            // Mac OS 9 put the euro sign at 0xFF (formerly the currency sign).
            case "x-mac-cyrillic" -> set(table, 0xFF, "\u20AC");
            case "windows-874", "windows-1250", "windows-1251", "windows-1252", "windows-1253",
                    "windows-1254", "windows-1255", "windows-1256", "windows-1257", "windows-1258" -> {
                // The bytes in 0x80-0x9F that Windows leaves undefined decode to the C1 control of the
                // same value, as Windows' own decoder does.
                for (int b = 0x80; b <= 0x9F; b++) {
                    if (table[b - 0x80] == 0) {
                        table[b - 0x80] = (char) b;
                    }
                }
                if (encoding.equals("windows-1255")) {
                    table[0xCA - 0x80] = '\u05BA'; // HEBREW POINT HOLAM HASER FOR VAV, added by Windows later
                }
            }
            default -> {
            }
        }
    }

    private static void set(char[] table, int firstByte, String codePoints) {
        codePoints.getChars(0, codePoints.length(), table, firstByte - 0x80);
    }
}
