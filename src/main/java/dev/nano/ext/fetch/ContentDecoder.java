package dev.nano.ext.fetch;

import java.nio.ByteBuffer;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.BrotliDecoder;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;

/**
 * Decodes a response body's {@code Content-Encoding} (gzip, deflate, br) piece by piece as it arrives,
 * with Netty's decoders in an {@link EmbeddedChannel} (the way Netty's HttpContentDecoder runs them):
 * zlib from the JDK, Brotli through brotli4j. Used from one thread at a time.
 */
final class ContentDecoder {
    /** Largest buffer a decoder allocates at once: bounds what one compressed piece can expand to in one step. */
    private static final int MAX_ALLOCATION = 1 << 20;
    /**
     * Compressed bytes handed to the decoder per step. Deflate expands at most ~1,032:1, so a step's
     * output stays under MAX_ALLOCATION, which Netty's zlib decoder would otherwise refuse with an
     * error: a network piece of a highly compressible body (e.g. 3 MB of one letter, gzipped to 3 KB)
     * decodes over several steps instead.
     */
    private static final int STEP = 512;

    private final EmbeddedChannel channel;

    private ContentDecoder(EmbeddedChannel channel) {
        this.channel = channel;
    }

    /** A decoder for {@code contentEncoding}, or null when the body is to be passed on as it is. */
    static ContentDecoder forEncoding(String contentEncoding) {
        if (contentEncoding == null) {
            return null;
        }
        switch (contentEncoding.strip().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip":
                return new ContentDecoder(new EmbeddedChannel(ZlibCodecFactory.newZlibDecoder(ZlibWrapper.GZIP, MAX_ALLOCATION)));
            case "deflate":
                // servers send either zlib-wrapped or raw deflate under this name: accept both
                return new ContentDecoder(new EmbeddedChannel(ZlibCodecFactory.newZlibDecoder(ZlibWrapper.ZLIB_OR_NONE, MAX_ALLOCATION)));
            case "br":
                return Brotli.isAvailable() ? new ContentDecoder(new EmbeddedChannel(new BrotliDecoder())) : null;
            default:
                return null;
        }
    }

    /** Decodes the next piece of the body; returns what it decoded to (possibly nothing). */
    byte[] decode(ByteBuffer input) {
        ByteBuf out = null;
        while (input.hasRemaining()) {
            int n = Math.min(STEP, input.remaining());
            channel.writeInbound(Unpooled.wrappedBuffer(input.slice(input.position(), n)));
            input.position(input.position() + n);
            out = drain(out);
        }
        return bytes(out);
    }

    /** The body ended: returns the last decoded bytes. */
    byte[] finish() {
        channel.finish();
        return bytes(drain(null));
    }

    void close() {
        channel.finishAndReleaseAll();
    }

    /** Appends what the decoder has produced to {@code out} (made when null and there is output). */
    private ByteBuf drain(ByteBuf out) {
        for (ByteBuf b; (b = channel.readInbound()) != null; ) {
            if (out == null) {
                out = Unpooled.buffer(b.readableBytes());
            }
            out.writeBytes(b);
            b.release();
        }
        return out;
    }

    private static byte[] bytes(ByteBuf out) {
        if (out == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        return bytes;
    }
}
