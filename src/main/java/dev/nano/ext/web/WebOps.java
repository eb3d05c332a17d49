package dev.nano.ext.web;

import java.nio.ByteBuffer;
import java.util.Locale;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.Value;

import dev.nano.Version;
import dev.nano.engine.JsRuntime;

/**
 * Ops of the "web" extension: the codecs behind atob/btoa (ext/web/04_base64.js) and
 * TextEncoder/TextDecoder (05_encoding.js), and the host facts navigator reports (08_navigator.js).
 *
 * <p>Bytes cross the boundary in bulk: JS passes an ArrayBuffer (or SharedArrayBuffer) with an
 * offset and length, read with one {@link Value#readBuffer} call; Java returns a heap
 * {@link ByteBuffer}, which JS views as a Uint8Array and copies into its own with one
 * {@code TypedArray.prototype.set} (about 1 ms per MB interpreted; writing into the JS buffer from
 * Java byte by byte or long by long costs 20-100 ms per MB).
 *
 * <p>One instance per context: the two results that do not fit the return value (a decoder's
 * carried-over state, encodeInto's "read") are left here for JS to fetch right after the call.
 */
public final class WebOps {
    private final StreamDecoder.State decodeState = new StreamDecoder.State();
    private final int[] encodeIntoRead = new int[1];

    public WebOps(JsRuntime runtime) {}

    /** btoa; null when the data has a char above U+00FF. */
    @Export
    public String base64Encode(String data) {
        return Base64Codec.encode(data);
    }

    /** atob (forgiving-base64 decode); null when the data is not valid base64. */
    @Export
    public String base64Decode(String data) {
        return Base64Codec.decode(data);
    }

    /**
     * The id of the encoding {@code label} names, for {@link #decode}; negative when TextDecoder must
     * throw a RangeError: -1 unknown label, -2 the "replacement" encoding.
     */
    @Export
    public int encodingId(String label) {
        return Encodings.lookup(label);
    }

    /** The encoding's name, ASCII lowercase (TextDecoder.prototype.encoding). */
    @Export
    public String encodingName(int id) {
        return Encodings.name(id).toLowerCase(Locale.ROOT);
    }

    /**
     * Decodes {@code length} bytes of {@code buffer} (an ArrayBuffer or SharedArrayBuffer) from
     * {@code offset}, after {@code state} (0 for a new stream). Returns the text, or null on a
     * fatal error; the state to pass with the next chunk is then {@link #decodeState()}.
     */
    @Export
    public String decode(int id, Value buffer, int offset, int length, int state, boolean flush, boolean fatal) {
        byte[] bytes = new byte[length];
        if (length > 0) {
            buffer.readBuffer(offset, bytes, 0, length);
        }
        decodeState.value = state;
        return Encodings.decoder(id).decode(bytes, 0, length, decodeState, flush, fatal);
    }

    /** The state the last {@link #decode} left for the next chunk of its stream. */
    @Export
    public int decodeState() {
        return decodeState.value;
    }

    /** TextEncoder.encode: the UTF-8 bytes of a USVString. */
    @Export
    public ByteBuffer encodeUtf8(String text) {
        return ByteBuffer.wrap(Utf8Encoder.encode(text));
    }

    /** TextEncoder.encodeInto: as many whole code points as fit in {@code capacity} bytes. */
    @Export
    public ByteBuffer encodeUtf8Into(String text, int capacity) {
        return ByteBuffer.wrap(Utf8Encoder.encodeInto(text, capacity, encodeIntoRead));
    }

    /** The UTF-16 code units the last {@link #encodeUtf8Into} consumed. */
    @Export
    public int encodeIntoRead() {
        return encodeIntoRead[0];
    }

    /** NANO's version, for navigator.userAgent. */
    @Export
    public String version() {
        return Version.get();
    }

    /** navigator.hardwareConcurrency: the processors this JVM may use. */
    @Export
    public int hardwareConcurrency() {
        return Runtime.getRuntime().availableProcessors();
    }
}
