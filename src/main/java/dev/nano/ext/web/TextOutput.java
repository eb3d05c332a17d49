package dev.nano.ext.web;

import java.util.Arrays;

/** The UTF-16 text a legacy decoder produces from one chunk; grows when a chunk decodes longer. */
final class TextOutput {
    static final char REPLACEMENT = '\uFFFD';

    private char[] chars;
    private int length;

    TextOutput(int capacity) {
        chars = new char[Math.max(4, capacity)];
    }

    void append(char c) {
        if (length == chars.length) {
            grow();
        }
        chars[length++] = c;
    }

    /** Appends a code point, as a surrogate pair above U+FFFF. */
    void appendCodePoint(int codePoint) {
        if (codePoint < 0x10000) {
            append((char) codePoint);
        } else {
            append(Character.highSurrogate(codePoint));
            append(Character.lowSurrogate(codePoint));
        }
    }

    private void grow() {
        chars = Arrays.copyOf(chars, chars.length * 2);
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
