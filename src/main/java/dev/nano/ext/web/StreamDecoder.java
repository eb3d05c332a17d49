package dev.nano.ext.web;

/**
 * A decoder of the Encoding Standard (§4.1 "Encodings"), fed one chunk at a time. What it must
 * remember between chunks (bytes of an unfinished sequence, a mode) lives in an int that JS keeps
 * with the TextDecoder and passes back with the next chunk, so Java holds nothing per decoder.
 */
interface StreamDecoder {
    /**
     * Decodes {@code bytes[off, off + len)}, continuing from {@code state.value} (0 for a new stream).
     *
     * @param flush true at the end of the stream: an unfinished sequence is then an error
     * @param fatal error mode "fatal": stop at the first error and return null
     * @return the decoded text, with U+FFFD for each error ("replacement" mode); null on a fatal error.
     *     {@code state.value} then holds what to pass with the next chunk (0 after a flush).
     */
    String decode(byte[] bytes, int off, int len, State state, boolean flush, boolean fatal);

    /** The carried-over state of one stream, opaque to JS. */
    final class State {
        int value;
    }

    // Helpers for decoders whose state is just the raw bytes (at most 3) of an unfinished sequence:
    // bits 24-25 hold their count, bits 0-23 the bytes, first byte highest.

    static int pendingCount(int state) {
        return state >>> 24;
    }

    static int packPending(byte[] bytes, int from, int to) {
        int state = (to - from) << 24;
        for (int i = from, shift = 16; i < to; i++, shift -= 8) {
            state |= (bytes[i] & 0xFF) << shift;
        }
        return state;
    }

    /** Returns the pending bytes of {@code state} followed by {@code bytes[off, off + len)}. */
    static byte[] prependPending(int state, byte[] bytes, int off, int len) {
        int count = pendingCount(state);
        byte[] all = new byte[count + len];
        for (int i = 0, shift = 16; i < count; i++, shift -= 8) {
            all[i] = (byte) (state >>> shift);
        }
        System.arraycopy(bytes, off, all, count, len);
        return all;
    }
}
