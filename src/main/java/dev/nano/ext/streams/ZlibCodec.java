package dev.nano.ext.streams;

import java.util.zip.ZipException;

/**
 * One compression or decompression stream of a context (Compression Standard §4-5): takes input
 * chunk by chunk and produces output into a caller's buffer, a piece at a time, so that one small
 * input that inflates to gigabytes never needs more than one piece of memory at once.
 */
abstract sealed class ZlibCodec permits ZlibCompressor, ZlibDecompressor {
    /** Set once the input has ended ({@link #finish}). */
    boolean finishing;

    /** Takes the next chunk of input; called only once the previous input has been fully consumed. */
    abstract void input(byte[] data, int offset, int length) throws ZipException;

    /** No more input will come: {@link #produce} now also flushes and, for decompression, checks the end. */
    abstract void finish();

    /**
     * Writes output into {@code out}; returns how many bytes. A full {@code out} may mean more output is
     * pending (call again); fewer bytes mean the input given so far is used up (or, after
     * {@link #finish}, that the stream is complete).
     *
     * @throws ZipException corrupt, truncated or trailing data (decompression only)
     */
    abstract int produce(byte[] out) throws ZipException;

    /** After {@link #finish} and the last {@link #produce}: whether the whole stream was seen or written. */
    abstract boolean complete();

    /** Frees the native zlib state. */
    abstract void end();
}
