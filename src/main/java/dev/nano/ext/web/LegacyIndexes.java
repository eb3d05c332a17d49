package dev.nano.ext.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

/**
 * The multi-byte indexes of the Encoding Standard (§5 "Indexes"), built once per process on first
 * use by decoding every pointer's bytes with the JDK's own charsets, then patching the documented
 * places where the JDK's tables differ from the standard's. No index is copied in: each is the JDK
 * table named below plus its patches (the longest list: 90 Big5 codes), and LegacyEncodingTest
 * checks every entry against the standard's index files (WPT's copies, read at test time). 0 stands for "no code point" (no index maps to U+0000).
 *
 * <p>Each index sits in its own holder class, so a process that only ever decodes Shift_JIS builds
 * only index jis0208 (~22 KB). Building one takes 40-130 ms in a cold JVM (once per process; the
 * first TextDecoder.decode of that encoding waits for it). All of them take ~225 KB of heap; the JDK
 * charset classes read for them keep their own tables too (~1.1 MB more with every legacy encoding
 * used). Nothing is per context.
 */
final class LegacyIndexes {
    private LegacyIndexes() {}

    /** Index jis0208, by pointer (0-11279): Shift_JIS, EUC-JP and ISO-2022-JP. */
    static char[] jis0208() {
        return Jis0208.INDEX;
    }

    /** Index jis0212, by pointer (0-8835): EUC-JP after 0x8F. */
    static char[] jis0212() {
        return Jis0212.INDEX;
    }

    /** Index EUC-KR, by pointer (0-23939). */
    static char[] eucKr() {
        return EucKr.INDEX;
    }

    /** Index gb18030 (the two-byte sequences), by pointer (0-23939). */
    static char[] gb18030() {
        return Gb18030.INDEX;
    }

    /** Index Big5, by pointer (0-19781); code points above U+FFFF, hence ints. */
    static int[] big5() {
        return Big5.INDEX;
    }

    /**
     * §5 "index gb18030 ranges code point": the code point of a four-byte gb18030 sequence's pointer,
     * or -1 for none.
     */
    static int gb18030RangesCodePoint(int pointer) {
        if ((pointer > 39419 && pointer < 189000) || pointer > 1237575) {
            return -1;
        }
        if (pointer >= 189000) {
            return 0x10000 + pointer - 189000; // U+10000 to U+10FFFF, in order
        }
        int[] starts = Gb18030Ranges.POINTERS;
        int found = Arrays.binarySearch(starts, pointer);
        int range = found >= 0 ? found : -found - 2;
        return Gb18030Ranges.CODE_POINTS[range] + pointer - starts[range];
    }

    private static final class Jis0208 {
        static final char[] INDEX = build();

        // Index jis0208 is JIS X 0208 with the NEC and IBM extensions: Windows code page 932, whose
        // two-byte codes, read as Shift_JIS pointers, are its pointers.
        private static char[] build() {
            char[] index = new char[11280];
            Pairs pairs = new Pairs("windows-31j");
            for (int pointer = 0; pointer < index.length; pointer++) {
                // Pointers 8836-10715 (leads 0xF0-0xF9) are end-user-defined characters: the Shift_JIS
                // decoder maps them to U+E000-U+E757 itself; the index has none of them.
                if (pointer >= 8836 && pointer <= 10715) {
                    continue;
                }
                int lead = pointer / 188;
                int trail = pointer % 188;
                index[pointer] = pairs.bmp(lead + (lead < 0x1F ? 0x81 : 0xC1), trail + (trail < 0x3F ? 0x40 : 0x41));
            }
            return index;
        }
    }

    private static final class Jis0212 {
        static final char[] INDEX = build();

        // The JDK's JIS X 0212 charset takes the two 7-bit bytes (0x21-0x7E) of a code.
        private static char[] build() {
            char[] index = new char[94 * 94];
            Pairs pairs = new Pairs("JIS_X0212-1990");
            for (int pointer = 0; pointer < index.length; pointer++) {
                index[pointer] = pairs.bmp(pointer / 94 + 0x21, pointer % 94 + 0x21);
            }
            return index;
        }
    }

    private static final class EucKr {
        static final char[] INDEX = build();

        // Index EUC-KR is KS X 1001 plus the Unified Hangul Code: Windows code page 949.
        private static char[] build() {
            char[] index = new char[126 * 190];
            Pairs pairs = new Pairs("x-windows-949");
            for (int pointer = 0; pointer < index.length; pointer++) {
                char c = pairs.bmp(pointer / 190 + 0x81, pointer % 190 + 0x41);
                // The JDK maps the user-defined rows (0xC9 and 0xFE, trail 0xA1-0xFE) to U+E000-U+E0BB;
                // the index leaves them unmapped.
                if (c < 0xE000 || c > 0xF8FF) {
                    index[pointer] = c;
                }
            }
            return index;
        }
    }

    private static final class Gb18030 {
        static final char[] INDEX = build();

        // Index gb18030 is the two-byte part of GB18030-2022 (§5 table of indexes), which the JDK's
        // GB18030 implements by default since JDK 21.
        private static char[] build() {
            char[] index = new char[126 * 190];
            Pairs pairs = new Pairs("GB18030");
            for (int pointer = 0; pointer < index.length; pointer++) {
                int trail = pointer % 190;
                index[pointer] = pairs.bmp(pointer / 190 + 0x81, trail + (trail < 0x3F ? 0x40 : 0x41));
            }
            // 0xA3 0xA0 is U+3000 IDEOGRAPHIC SPACE "to be compatible with deployed content" (§5), not
            // GB18030's U+E5E5.
            index[pointer(0xA3, 0xA0)] = '\u3000';
            // The 2005 and 2022 revisions, set explicitly so that a JDK run with
            // -Djdk.charset.GB18030=2000 gives the same index: 0xA8 0xBC is U+1E3F, and eighteen
            // codes moved from Private Use to U+FE10-U+FE19 and U+9FB4-U+9FBB.
            index[pointer(0xA8, 0xBC)] = '\u1E3F';
            int[] revised2022 = {
                0xA6D9, 0xFE10, 0xA6DA, 0xFE12, 0xA6DB, 0xFE11, 0xA6DC, 0xFE13, 0xA6DD, 0xFE14, 0xA6DE, 0xFE15,
                0xA6DF, 0xFE16, 0xA6EC, 0xFE17, 0xA6ED, 0xFE18, 0xA6F3, 0xFE19, 0xFE59, 0x9FB4, 0xFE61, 0x9FB5,
                0xFE66, 0x9FB6, 0xFE67, 0x9FB7, 0xFE6D, 0x9FB8, 0xFE7E, 0x9FB9, 0xFE90, 0x9FBA, 0xFEA0, 0x9FBB,
            };
            for (int i = 0; i < revised2022.length; i += 2) {
                index[pointer(revised2022[i] >> 8, revised2022[i] & 0xFF)] = (char) revised2022[i + 1];
            }
            return index;
        }

        private static int pointer(int lead, int trail) {
            return (lead - 0x81) * 190 + trail - (trail < 0x7F ? 0x40 : 0x41);
        }
    }

    /**
     * Index gb18030 ranges as (pointer, code point) starts of linear runs, read off the JDK's
     * four-byte sequences for pointers 0-39419 (the BMP).
     */
    private static final class Gb18030Ranges {
        static final int[] POINTERS;
        static final int[] CODE_POINTS;

        static {
            int count = 39420;
            byte[] bytes = new byte[count * 4];
            for (int pointer = 0; pointer < count; pointer++) {
                bytes[pointer * 4] = (byte) (pointer / 12600 + 0x81);
                bytes[pointer * 4 + 1] = (byte) (pointer % 12600 / 1260 + 0x30);
                bytes[pointer * 4 + 2] = (byte) (pointer % 1260 / 10 + 0x81);
                bytes[pointer * 4 + 3] = (byte) (pointer % 10 + 0x30);
            }
            String text;
            try {
                text = strictDecoder("GB18030").decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalStateException("GB18030: a four-byte BMP sequence did not decode", e);
            }
            if (text.length() != count) {
                throw new IllegalStateException("GB18030: four-byte BMP sequences did not decode one char each");
            }
            char[] codePoints = text.toCharArray();
            // The standard keeps the four-byte mappings of GB18030-2005 (§5, index gb18030 ranges):
            // GB18030-2022, the JDK's default, moved U+9FB4-U+9FBB (pointers 19057-19064) and
            // U+FE10-U+FE19 (39076-39085) to two-byte codes and gave these pointers Private Use code
            // points; the ranges keep them linear.
            for (int i = 0; i < 8; i++) {
                codePoints[19057 + i] = (char) (0x9FB4 + i);
            }
            for (int i = 0; i < 10; i++) {
                codePoints[39076 + i] = (char) (0xFE10 + i);
            }
            // §5 "index gb18030 ranges code point" step 2 (the 2005 revision): pointer 7457 is U+E7C7.
            codePoints[7457] = '\uE7C7';
            int[] pointers = new int[count];
            int[] starts = new int[count];
            int runs = 0;
            for (int pointer = 0; pointer < count; pointer++) {
                if (pointer == 0 || codePoints[pointer] != codePoints[pointer - 1] + 1) {
                    pointers[runs] = pointer;
                    starts[runs++] = codePoints[pointer];
                }
            }
            POINTERS = Arrays.copyOf(pointers, runs);
            CODE_POINTS = Arrays.copyOf(starts, runs);
        }
    }

    private static final class Big5 {
        // Byte pairs the JDK decodes otherwise or not at all, with their code points in index Big5:
        // - six codes of the ETEN extension row 0xC6 that the index maps to ideographs and U+3003
        //   where the JDK has hiragana;
        // - HKSCS compatibility points (leads 0x8E-0xA0 and 0xFA-0xFE): codes that HKSCS-2008 maps to
        //   ideographs already encoded at another code. The JDK's decoder keeps one code per
        //   character and leaves these unmapped; the index maps them.
        private static final int[] BIG5_PATCHES = {
            0xC6CF, 0x5EF4, 0xC6D3, 0x65E0, 0xC6D5, 0x7676, 0xC6D7, 0x96B6, 0xC6DE, 0x3003, 0xC6DF, 0x4EDD,
            0x8E69, 0x7BB8, 0x8E6F, 0x7C06, 0x8E7E, 0x7CCE, 0x8EAB, 0x7DD2, 0x8EB4, 0x7E1D, 0x8ECD, 0x8005,
            0x8ED0, 0x8028, 0x8F57, 0x83C1, 0x8F69, 0x84A8, 0x8F6E, 0x840F, 0x8FCB, 0x89A6, 0x8FCC, 0x89A9,
            0x8FFE, 0x8D77, 0x906D, 0x90FD, 0x907A, 0x92B9, 0x90DC, 0x975C, 0x90F1, 0x97FF, 0x91BF, 0x9F16,
            0x9244, 0x8503, 0x92AF, 0x5159, 0x92B0, 0x515B, 0x92B1, 0x515D, 0x92B2, 0x515E, 0x92C8, 0x936E,
            0x92D1, 0x7479, 0x9447, 0x6D67, 0x94CA, 0x799B, 0x95D9, 0x9097, 0x9644, 0x975D, 0x96ED, 0x701E,
            0x96FC, 0x5B28, 0x9B76, 0x7201, 0x9B78, 0x77D7, 0x9B7B, 0x7E87, 0x9BC6, 0x99D6, 0x9BDE, 0x91D4,
            0x9BEC, 0x60DE, 0x9BF6, 0x6FB6, 0x9C42, 0x8F36, 0x9C53, 0x4FBB, 0x9C62, 0x71DF, 0x9C68, 0x9104,
            0x9C6B, 0x9DF0, 0x9C77, 0x83CF, 0x9CBC, 0x5C10, 0x9CBD, 0x79E3, 0x9CD0, 0x5A67, 0x9D57, 0x8F0B,
            0x9D5A, 0x7B51, 0x9DC4, 0x62D0, 0x9EA9, 0x6062, 0x9EEF, 0x75F9, 0x9EFD, 0x6C4A, 0x9F60, 0x9B2E,
            0x9F66, 0x9F17, 0x9FCB, 0x50ED, 0x9FD8, 0x5F0C, 0xA063, 0x880F, 0xA077, 0x62CE, 0xA0D5, 0x7468,
            0xA0DF, 0x7162, 0xA0E4, 0x7250, 0xFA5F, 0x5029, 0xFA66, 0x507D, 0xFABD, 0x5305, 0xFAC5, 0x5344,
            0xFAD5, 0x537F, 0xFB48, 0x5605, 0xFBB8, 0x5A77, 0xFBF3, 0x5E75, 0xFBF9, 0x5ED0, 0xFC4F, 0x5F58,
            0xFC6C, 0x60A4, 0xFCB9, 0x6490, 0xFCE2, 0x6674, 0xFCF1, 0x675E, 0xFDB7, 0x6C9C, 0xFDB8, 0x6E1D,
            0xFDBB, 0x6E2F, 0xFDF1, 0x716E, 0xFE52, 0x732A, 0xFE6F, 0x745C, 0xFEAA, 0x74E9, 0xFEDD, 0x7809,
        };

        static final int[] INDEX = build();

        // Index Big5 is Big5 with the Hong Kong Supplementary Character Set (HKSCS-2008) and the
        // common ETEN extensions: the JDK's Big5-HKSCS, with the patches here and above.
        private static int[] build() {
            int[] index = new int[126 * 157];
            Pairs hkscs = new Pairs("Big5-HKSCS");
            Pairs windows = new Pairs("x-windows-950");
            for (int pointer = 0; pointer < index.length; pointer++) {
                int lead = pointer / 157 + 0x81;
                int trail = pointer % 157;
                trail += trail < 0x3F ? 0x40 : 0x62;
                // Rows 0xA1 and 0xA2 (symbols) follow Windows code page 950, not HKSCS, for sixteen
                // codes: e.g. 0xA1 0x45 is U+2027, 0xA1 0xC3 U+FFE3, 0xA2 0x41 U+2215, 0xA2 0x47 U+FFE1.
                Pairs source = lead == 0xA1 || lead == 0xA2 ? windows : hkscs;
                index[pointer] = source.codePoint(lead, trail);
            }
            // 0xA3 0xC0-0xE0: the ETEN control pictures U+2400-U+241F and U+2421; 0xA3 0xE1: U+20AC.
            for (int i = 0; i < 32; i++) {
                index[pointer(0xA3, 0xC0 + i)] = 0x2400 + i;
            }
            index[pointer(0xA3, 0xE0)] = 0x2421;
            index[pointer(0xA3, 0xE1)] = 0x20AC;
            for (int i = 0; i < BIG5_PATCHES.length; i += 2) {
                index[pointer(BIG5_PATCHES[i] >> 8, BIG5_PATCHES[i] & 0xFF)] = BIG5_PATCHES[i + 1];
            }
            return index;
        }

        private static int pointer(int lead, int trail) {
            return (lead - 0x81) * 157 + trail - (trail < 0x7F ? 0x40 : 0x62);
        }

    }

    /** A JDK decoder that reports malformed and unmappable input instead of replacing it. */
    static CharsetDecoder strictDecoder(String charset) {
        return Charset.forName(charset).newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Decodes single byte pairs with one JDK charset. */
    private static final class Pairs {
        private final CharsetDecoder decoder;
        private final byte[] pair = new byte[2];
        private final ByteBuffer in = ByteBuffer.wrap(pair);
        private final CharBuffer out = CharBuffer.allocate(4);

        Pairs(String charset) {
            decoder = strictDecoder(charset);
        }

        /** The one code point the pair decodes to, or 0 (malformed, unmapped, or several). */
        int codePoint(int lead, int trail) {
            pair[0] = (byte) lead;
            pair[1] = (byte) trail;
            in.clear();
            out.clear();
            decoder.reset();
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError() || in.hasRemaining() || decoder.flush(out).isError()) {
                return 0;
            }
            out.flip();
            if (out.length() == 1) {
                return out.get(0);
            }
            if (out.length() == 2 && Character.isSurrogatePair(out.get(0), out.get(1))) {
                return Character.toCodePoint(out.get(0), out.get(1));
            }
            return 0;
        }

        char bmp(int lead, int trail) {
            int codePoint = codePoint(lead, trail);
            return codePoint < 0x10000 ? (char) codePoint : 0;
        }
    }
}
