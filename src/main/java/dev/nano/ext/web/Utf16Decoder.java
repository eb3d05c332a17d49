package dev.nano.ext.web;

/**
 * The shared UTF-16 decoder of the Encoding Standard (§9.3.1), for UTF-16BE and UTF-16LE: an odd
 * byte at the end, and a surrogate without its partner, each become one U+FFFD.
 */
final class Utf16Decoder implements StreamDecoder {
    private static final char REPLACEMENT = '\uFFFD';
    private final boolean bigEndian;

    Utf16Decoder(boolean bigEndian) {
        this.bigEndian = bigEndian;
    }

    @Override
    public String decode(byte[] bytes, int off, int len, State state, boolean flush, boolean fatal) {
        if (StreamDecoder.pendingCount(state.value) > 0) {
            bytes = StreamDecoder.prependPending(state.value, bytes, off, len);
            off = 0;
            len = bytes.length;
        }
        int end = off + len;
        char[] out = new char[len / 2 + 1];
        int n = 0;
        int leadSurrogate = -1;
        int i = off;
        for (; i + 1 < end; i += 2) {
            int unit = bigEndian
                    ? ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF)
                    : ((bytes[i + 1] & 0xFF) << 8) | (bytes[i] & 0xFF);
            if (leadSurrogate >= 0) {
                int lead = leadSurrogate;
                leadSurrogate = -1;
                if (Character.isLowSurrogate((char) unit)) {
                    out[n++] = (char) lead;
                    out[n++] = (char) unit;
                    continue;
                }
                // The unit after a lone lead surrogate is processed again on its own (spec: "restore").
                if (fatal) {
                    return failed(state);
                }
                out[n++] = REPLACEMENT;
            }
            if (Character.isHighSurrogate((char) unit)) {
                leadSurrogate = unit;
            } else if (Character.isLowSurrogate((char) unit)) {
                if (fatal) {
                    return failed(state);
                }
                out[n++] = REPLACEMENT;
            } else {
                out[n++] = (char) unit;
            }
        }
        // Left over: a lead surrogate (the 2 bytes before i) and/or one odd byte (at i).
        int pendingFrom = leadSurrogate >= 0 ? i - 2 : i;
        state.value = 0;
        if (pendingFrom < end) {
            if (!flush) {
                state.value = StreamDecoder.packPending(bytes, pendingFrom, end);
            } else if (fatal) {
                return failed(state);
            } else {
                out[n++] = REPLACEMENT; // one error for whatever is unfinished at the end (§9.3.1 step 1)
            }
        }
        return new String(out, 0, n);
    }

    private static String failed(State state) {
        state.value = 0;
        return null;
    }
}
