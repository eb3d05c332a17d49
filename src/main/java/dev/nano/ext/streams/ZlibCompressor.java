package dev.nano.ext.streams;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * CompressionStream's codec: "deflate" is the zlib format (RFC 1950), "deflate-raw" bare DEFLATE
 * (RFC 1951), "gzip" the gzip format (RFC 1952) with a minimal header (no name, no time) and the
 * CRC-32 and size trailer written here around a raw {@link Deflater}.
 */
final class ZlibCompressor extends ZlibCodec {
    private static final byte[] GZIP_HEADER = {
        0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff, // ID1 ID2 CM=deflate FLG MTIME(4) XFL OS=unknown
    };

    private final Deflater deflater;
    private final CRC32 crc;
    private long size;
    private boolean headerWritten;
    private boolean finishing;
    private boolean trailerWritten;

    ZlibCompressor(String format) {
        boolean gzip = format.equals("gzip");
        this.deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, !format.equals("deflate"));
        this.crc = gzip ? new CRC32() : null;
        this.headerWritten = !gzip;
        this.trailerWritten = !gzip;
    }

    @Override
    void input(byte[] data, int offset, int length) {
        deflater.setInput(data, offset, length);
        if (crc != null) {
            crc.update(data, offset, length);
        }
        size += length;
    }

    @Override
    void finish() {
        finishing = true;
        deflater.finish();
    }

    @Override
    int produce(byte[] out) {
        int n = 0;
        if (!headerWritten) {
            System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
            n = GZIP_HEADER.length;
            headerWritten = true;
        }
        while (n < out.length && !deflater.finished()) {
            int k = deflater.deflate(out, n, out.length - n, Deflater.NO_FLUSH);
            n += k;
            if (k == 0 && deflater.needsInput() && !finishing) {
                break; // everything given so far is inside zlib; more comes with the next input
            }
        }
        if (deflater.finished() && !trailerWritten && out.length - n >= 8) {
            n = putIntLE(out, n, (int) crc.getValue());
            n = putIntLE(out, n, (int) size); // ISIZE: the size modulo 2^32
            trailerWritten = true;
        }
        return n;
    }

    @Override
    boolean complete() {
        return deflater.finished() && trailerWritten;
    }

    @Override
    void end() {
        deflater.end();
    }

    private static int putIntLE(byte[] out, int at, int value) {
        out[at] = (byte) value;
        out[at + 1] = (byte) (value >>> 8);
        out[at + 2] = (byte) (value >>> 16);
        out[at + 3] = (byte) (value >>> 24);
        return at + 4;
    }
}
