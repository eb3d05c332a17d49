package dev.nano.ext.streams;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipException;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsRuntime;

/**
 * Ops of the "streams" extension: the zlib codecs behind CompressionStream and DecompressionStream
 * (ext/streams/08_compression.js). Java keeps each stream's {@link java.util.zip.Deflater} or
 * {@link java.util.zip.Inflater}; JS holds only its integer id.
 *
 * <p>Input crosses as an ArrayBuffer with offset and length (one bulk read); output comes back as a
 * heap {@link ByteBuffer} of at most {@link #PIECE} bytes, which JS copies into a chunk. When a call
 * leaves more output pending ({@link #zlibMore()}), JS asks for it with {@link #zlibPull}, waiting
 * for the readable side's backpressure in between: a small input that inflates to gigabytes never
 * holds more than a piece here. A codec is freed when its stream completes, fails or is cancelled;
 * codecs a context abandons are freed when JS's FinalizationRegistry reports them, or with the
 * context (the Deflater/Inflater cleaners free native memory once unreachable).
 *
 * <p>One instance per context, used from the context's thread only. After a call returning null,
 * {@link #zlibError()} says why and the codec is already freed.
 */
public final class CompressionOps {
    /** Largest piece of output handed to JS at once (one chunk of the readable side). */
    static final int PIECE = 64 * 1024;
    /** Codecs one context may hold open at once: each holds up to ~300 KB of native zlib memory. */
    static final int MAX_OPEN = 256;

    private Map<Integer, ZlibCodec> codecs; // created on first use: most contexts never compress
    private byte[] scratch;
    private int nextId = 1;
    private boolean more;
    private String error;

    public CompressionOps(JsRuntime runtime) {}

    /**
     * Opens a codec for {@code format} ("deflate", "deflate-raw" or "gzip"); returns its id, or 0 when
     * the context has too many open (see {@link #zlibError()}).
     */
    @Export
    public int zlibOpen(String format, boolean decompress) {
        if (!format.equals("deflate") && !format.equals("deflate-raw") && !format.equals("gzip")) {
            throw new IllegalArgumentException("unknown compression format " + format);
        }
        if (codecs == null) {
            codecs = new HashMap<>();
        }
        if (codecs.size() >= MAX_OPEN) {
            error = "Too many compression streams in progress in this context (at most " + MAX_OPEN + ")";
            return 0;
        }
        int id = nextId++;
        codecs.put(id, decompress ? new ZlibDecompressor(format) : new ZlibCompressor(format));
        return id;
    }

    /** Gives the codec {@code length} bytes of {@code buffer} (an ArrayBuffer) from {@code offset}. */
    @Export
    public ByteBuffer zlibWrite(int id, Value buffer, int offset, int length) {
        ZlibCodec codec = codec(id);
        byte[] data = new byte[length];
        if (length > 0) {
            buffer.readBuffer(offset, data, 0, length);
        }
        try {
            codec.input(data, 0, length);
        } catch (ZipException e) {
            return fail(id, e);
        }
        return produce(id, codec);
    }

    /** The next piece of output, after a call that left {@link #zlibMore()} true. */
    @Export
    public ByteBuffer zlibPull(int id) {
        ZlibCodec codec = codec(id);
        return produce(id, codec);
    }

    /** The end of the input: flushes (compression) or checks that the data was complete (decompression). */
    @Export
    public ByteBuffer zlibFinish(int id) {
        ZlibCodec codec = codec(id);
        codec.finishing = true;
        codec.finish();
        return produce(id, codec);
    }

    /** Whether the last call left more output to pull. */
    @Export
    public boolean zlibMore() {
        return more;
    }

    /** Why the last call returned null. */
    @Export
    public String zlibError() {
        return error;
    }

    /** Frees a codec (the stream was cancelled, aborted or collected); unknown ids are ignored. */
    @Export
    public void zlibClose(int id) {
        if (codecs != null) {
            ZlibCodec codec = codecs.remove(id);
            if (codec != null) {
                codec.end();
            }
        }
    }

    /** Codecs open in this context (for tests and metrics). */
    public int openCount() {
        return codecs == null ? 0 : codecs.size();
    }

    private ZlibCodec codec(int id) {
        ZlibCodec codec = codecs == null ? null : codecs.get(id);
        if (codec == null) {
            throw new IllegalStateException("no compression stream " + id);
        }
        return codec;
    }

    private ByteBuffer produce(int id, ZlibCodec codec) {
        if (scratch == null) {
            scratch = new byte[PIECE];
        }
        int n;
        try {
            n = codec.produce(scratch);
        } catch (ZipException e) {
            return fail(id, e);
        }
        more = n == scratch.length;
        if (!more && codec.finishing) {
            if (!codec.complete()) {
                return fail(id, new ZipException("unexpected end of compressed data"));
            }
            zlibClose(id);
        }
        return ByteBuffer.wrap(Arrays.copyOf(scratch, n));
    }

    private ByteBuffer fail(int id, ZipException e) {
        more = false;
        error = e.getMessage();
        zlibClose(id);
        return null;
    }
}
