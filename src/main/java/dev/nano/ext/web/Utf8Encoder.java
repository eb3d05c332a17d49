package dev.nano.ext.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * TextEncoder's UTF-8 encoder (Encoding Standard §8.1.2). JS passes USVStrings (lone surrogates
 * already replaced by U+FFFD): for those the JDK's encoder, which would write '?' for a lone
 * surrogate, gives the standard's bytes.
 */
final class Utf8Encoder {
    private Utf8Encoder() {}

    static byte[] encode(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * §7.4 encodeInto: encodes whole code points of {@code text} while they fit in {@code capacity}
     * bytes. Returns the bytes written; {@code read[0]} is set to the UTF-16 code units consumed.
     */
    static byte[] encodeInto(String text, int capacity, int[] read) {
        // Every code unit takes at least one byte, so the first {@code capacity} units (a surrogate
        // pair kept whole) are all that can fit; the JDK's encoder does those in bulk.
        int length = text.length();
        int end = Math.min(length, capacity);
        if (end < length && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end++;
        }
        byte[] bytes = (end == length ? text : text.substring(0, end)).getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= capacity) {
            read[0] = end;
            return bytes;
        }
        // Too long: cut before the sequence that does not fit whole ...
        int cut = capacity;
        while ((bytes[cut] & 0xC0) == 0x80) {
            cut--;
        }
        // ... and count the code units of what is left: one per sequence, two for a 4-byte one.
        int units = 0;
        for (int i = 0; i < cut; i++) {
            int b = bytes[i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                units += b >= 0xF0 ? 2 : 1;
            }
        }
        read[0] = units;
        return Arrays.copyOf(bytes, cut);
    }
}
