package dev.nano.ext.url;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Percent-encode sets and percent-encoding/decoding (URL Standard §1.3). A set is a 128-bit mask of
 * the ASCII code points it contains; every code point above U+007E is in every set.
 */
final class PercentEncoding {
    /** An ASCII set as two 64-bit masks: bit c of lo (c < 64) or of hi (c - 64). */
    record EncodeSet(long lo, long hi) {
        boolean contains(int c) {
            if (c > 0x7E) {
                return true;
            }
            return c < 64 ? (lo & (1L << c)) != 0 : (hi & (1L << (c - 64))) != 0;
        }

        EncodeSet with(String chars) {
            long l = lo;
            long h = hi;
            for (int i = 0; i < chars.length(); i++) {
                char c = chars.charAt(i);
                if (c < 64) {
                    l |= 1L << c;
                } else {
                    h |= 1L << (c - 64);
                }
            }
            return new EncodeSet(l, h);
        }
    }

    /** C0 controls (U+0000..U+001F) and everything above U+007E. */
    static final EncodeSet C0_CONTROL = new EncodeSet(0xFFFFFFFFL, 0);
    static final EncodeSet FRAGMENT = C0_CONTROL.with(" \"<>`");
    static final EncodeSet QUERY = C0_CONTROL.with(" \"#<>");
    static final EncodeSet SPECIAL_QUERY = QUERY.with("'");
    static final EncodeSet PATH = QUERY.with("?`{}");
    static final EncodeSet USERINFO = PATH.with("/:;=@[\\]^|");
    static final EncodeSet COMPONENT = USERINFO.with("$%&+,");
    static final EncodeSet FORM_URLENCODED = COMPONENT.with("!'()~");

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {}

    /**
     * UTF-8 percent-encodes the code point starting at {@code s[i]} into {@code out} and returns how
     * many chars it took (2 for a surrogate pair). A lone surrogate is encoded as U+FFFD: the URL
     * parser works on scalar values (USVString).
     */
    static int appendEncoded(StringBuilder out, String s, int i, EncodeSet set) {
        char c = s.charAt(i);
        if (c < 0x80) {
            if (set.contains(c)) {
                appendByte(out, c);
            } else {
                out.append(c);
            }
            return 1;
        }
        int cp = c;
        int width = 1;
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            cp = Character.toCodePoint(c, s.charAt(i + 1));
            width = 2;
        } else if (Character.isSurrogate(c)) {
            cp = 0xFFFD;
        }
        appendUtf8(out, cp);
        return width;
    }

    /** UTF-8 percent-encodes all of {@code s} with {@code set} (§1.3 "percent-encode after encoding", UTF-8). */
    static String encode(String s, EncodeSet set) {
        int n = s.length();
        int i = 0;
        while (i < n) { // fast path: nothing to encode
            char c = s.charAt(i);
            if (c >= 0x80 || set.contains(c)) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder out = new StringBuilder(n + 16);
        out.append(s, 0, i);
        while (i < n) {
            i += appendEncoded(out, s, i, set);
        }
        return out.toString();
    }

    /**
     * The application/x-www-form-urlencoded byte serializer (§5.2) for one name or value, s[start,
     * end): UTF-8, the form-urlencoded set, and space as "+".
     */
    static void appendForm(StringBuilder out, String s, int start, int end) {
        for (int i = start; i < end; ) {
            char c = s.charAt(i);
            if (c == ' ') {
                out.append('+');
                i++;
            } else if (c < 0x80 && !FORM_URLENCODED.contains(c)) {
                out.append(c);
                i++;
            } else if (Character.isHighSurrogate(c) && i + 1 == end) {
                out.append("%EF%BF%BD"); // a lone surrogate at the end of the item
                i++;
            } else {
                i += appendEncoded(out, s, i, FORM_URLENCODED);
            }
        }
    }

    private static void appendUtf8(StringBuilder out, int cp) {
        if (cp < 0x800) {
            appendByte(out, 0xC0 | (cp >> 6));
            appendByte(out, 0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            appendByte(out, 0xE0 | (cp >> 12));
            appendByte(out, 0x80 | ((cp >> 6) & 0x3F));
            appendByte(out, 0x80 | (cp & 0x3F));
        } else {
            appendByte(out, 0xF0 | (cp >> 18));
            appendByte(out, 0x80 | ((cp >> 12) & 0x3F));
            appendByte(out, 0x80 | ((cp >> 6) & 0x3F));
            appendByte(out, 0x80 | (cp & 0x3F));
        }
    }

    private static void appendByte(StringBuilder out, int b) {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }

    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Percent-decodes a string to bytes (§1.3 "string percent-decode": UTF-8 encode, then decode each
     * valid %XX), with "+" as space when {@code plusAsSpace} (form-urlencoded, §5.1).
     */
    static byte[] decodeToBytes(String s, boolean plusAsSpace) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8); // s is well-formed (see decode)
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '%' && i + 2 < in.length) {
                int h = hexValue((char) in[i + 1]);
                int l = hexValue((char) in[i + 2]);
                if (h >= 0 && l >= 0) {
                    out[n++] = (byte) (h << 4 | l);
                    i += 2;
                    continue;
                }
            }
            out[n++] = plusAsSpace && b == '+' ? (byte) ' ' : b;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Percent-decodes {@code s} and decodes the bytes as UTF-8 without BOM, malformed sequences
     * becoming U+FFFD (Encoding Standard "UTF-8 decode without BOM").
     */
    static String decode(String s, boolean plusAsSpace) {
        if (s.indexOf('%') < 0 && (!plusAsSpace || s.indexOf('+') < 0)) {
            return toWellFormed(s);
        }
        return new String(decodeToBytes(toWellFormed(s), plusAsSpace), StandardCharsets.UTF_8);
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    /** Replaces lone surrogates with U+FFFD (so that UTF-8 encoding is the Encoding Standard's). */
    static String toWellFormed(String s) {
        if (!hasLoneSurrogate(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }
}
