package dev.nano.ext.web;

/**
 * Base of the decoders whose whole state is an unfinished byte sequence (Encoding Standard gb18030,
 * Big5, EUC-JP, Shift_JIS and EUC-KR decoders): at the end of a chunk those bytes (at most three)
 * are packed into the stream's state and decoded again in front of the next chunk. Their state after
 * those bytes is the one they had, so the result is the standard's, and "restore" (§4.1: push bytes
 * back onto the I/O queue) only ever moves back within one buffer.
 */
abstract class MultiByteDecoder implements StreamDecoder {
    /** {@link #decodeRun} returns this on an error in fatal mode. */
    static final int FAILED = -1;

    @Override
    public final String decode(byte[] bytes, int off, int len, State state, boolean flush, boolean fatal) {
        if (StreamDecoder.pendingCount(state.value) > 0) {
            bytes = StreamDecoder.prependPending(state.value, bytes, off, len);
            off = 0;
            len = bytes.length;
        }
        int end = off + len;
        // An error emits one U+FFFD and consumes at least one byte; only Big5's four special pointers
        // and code points above U+FFFF give two chars for two or more bytes.
        TextOutput out = new TextOutput(len + 1);
        int unfinished = decodeRun(bytes, off, end, out, fatal);
        state.value = 0;
        if (unfinished == FAILED) {
            return null;
        }
        if (unfinished < end) {
            if (!flush) {
                state.value = StreamDecoder.packPending(bytes, unfinished, end);
            } else if (fatal) {
                return null;
            } else {
                // The decoders' end-of-queue step: an unfinished sequence is one error.
                out.append(TextOutput.REPLACEMENT);
            }
        }
        return out.toString();
    }

    /**
     * Runs the decoder's handler over {@code bytes[off, end)} from its initial state, appending to
     * {@code out} (U+FFFD for each error unless {@code fatal}).
     *
     * @return where the unfinished sequence left at the end starts ({@code end} if none), or
     *     {@link #FAILED} on an error in fatal mode
     */
    abstract int decodeRun(byte[] bytes, int off, int end, TextOutput out, boolean fatal);
}
