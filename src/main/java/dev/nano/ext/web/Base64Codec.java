package dev.nano.ext.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * atob/btoa's codecs (HTML §8.3 "Base64 utility methods"): the standard base64 encoding with
 * padding (RFC 4648 §4) and Infra's "forgiving-base64 decode". Strings stand for bytes, one char
 * (U+0000-U+00FF) per byte.
 */
final class Base64Codec {
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Codec() {}

    /** btoa: null when {@code data} has a char above U+00FF (an InvalidCharacterError in JS). */
    static String encode(String data) {
        for (int i = 0, n = data.length(); i < n; i++) {
            if (data.charAt(i) > 0xFF) {
                return null;
            }
        }
        return Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Infra §4.4 forgiving-base64 decode; null on failure (an InvalidCharacterError in JS). */
    static String decode(String data) {
        // Step 1: remove ASCII whitespace. Anything non-ASCII fails step 4 anyway.
        int length = data.length();
        byte[] chars = new byte[length];
        int n = 0;
        for (int i = 0; i < length; i++) {
            char c = data.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
                continue;
            }
            if (c >= 0x80) {
                return null;
            }
            chars[n++] = (byte) c;
        }
        // Step 2: with a length that is a multiple of 4, drop one or two trailing '='.
        if (n % 4 == 0 && n > 0 && chars[n - 1] == '=') {
            n -= chars[n - 2] == '=' ? 2 : 1;
        }
        // Step 3: a lone sextet at the end cannot make a byte.
        if (n % 4 == 1) {
            return null;
        }
        // Steps 4-7: 6 bits per char, 8 bits per byte; leftover bits (4 or 2) are discarded.
        byte[] out = new byte[n / 4 * 3 + Math.max(0, n % 4 - 1)];
        int o = 0;
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < n; i++) {
            int value = VALUES[chars[i]];
            if (value < 0) {
                return null; // '=' in the middle, or a char outside the alphabet
            }
            buffer = (buffer << 6) | value;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (buffer >>> bits);
            }
        }
        return new String(out, 0, o, StandardCharsets.ISO_8859_1);
    }
}
