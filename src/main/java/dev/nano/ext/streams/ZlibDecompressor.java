package dev.nano.ext.streams;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * DecompressionStream's codec (Compression Standard §5): "deflate" (zlib, RFC 1950, whose Adler-32
 * the {@link Inflater} checks), "deflate-raw" (RFC 1951) and "gzip" (RFC 1952: the header, with its
 * optional fields and header CRC, and the CRC-32 and size trailer are parsed and checked here).
 * Corrupt data, a preset dictionary, data after the end of the stream and input that ends early are
 * errors ({@link ZipException}); one gzip member is one stream, as in browsers.
 */
final class ZlibDecompressor extends ZlibCodec {
    private enum State { HEADER, BODY, TRAILER, END }

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int RESERVED = 0xe0;

    private final Inflater inflater;
    private final boolean gzip;
    private final CRC32 crc;
    private long size;
    private State state;

    // Input the inflater does not hold: gzip header and trailer bytes, and data after the end.
    private byte[] in = new byte[0];
    private int inPos;
    private int inEnd;
    private byte[] header; // gzip header bytes gathered so far (a header may span chunks)
    private int headerLength;
    private final byte[] trailer = new byte[8];
    private int trailerLength;

    ZlibDecompressor(String format) {
        this.gzip = format.equals("gzip");
        this.inflater = new Inflater(!format.equals("deflate"));
        this.crc = gzip ? new CRC32() : null;
        this.state = gzip ? State.HEADER : State.BODY;
    }

    @Override
    void input(byte[] data, int offset, int length) {
        if (state == State.BODY) {
            inflater.setInput(data, offset, length);
            in = data;
            inPos = offset + length;
            inEnd = inPos;
        } else {
            in = data;
            inPos = offset;
            inEnd = offset + length;
        }
    }

    @Override
    void finish() {
        // nothing to flush: the inflater gives out all it can as input arrives
    }

    @Override
    int produce(byte[] out) throws ZipException {
        int n = 0;
        while (true) {
            switch (state) {
                case HEADER -> {
                    if (!readHeader()) {
                        return n;
                    }
                    state = State.BODY;
                    inflater.setInput(in, inPos, inEnd - inPos);
                    inPos = inEnd;
                }
                case BODY -> {
                    if (n == out.length) {
                        return n;
                    }
                    int k;
                    try {
                        k = inflater.inflate(out, n, out.length - n);
                    } catch (DataFormatException e) {
                        throw new ZipException(e.getMessage() == null ? "invalid compressed data" : e.getMessage());
                    }
                    if (k > 0) {
                        if (crc != null) {
                            crc.update(out, n, k);
                        }
                        size += k;
                        n += k;
                    }
                    if (inflater.finished()) {
                        inPos = inEnd - inflater.getRemaining(); // what follows the deflate data, in `in`
                        state = gzip ? State.TRAILER : State.END;
                    } else if (inflater.needsDictionary()) {
                        throw new ZipException("the compressed data needs a preset dictionary");
                    } else if (k == 0) {
                        return n; // the input given so far is used up
                    }
                }
                case TRAILER -> {
                    int take = Math.min(trailer.length - trailerLength, inEnd - inPos);
                    System.arraycopy(in, inPos, trailer, trailerLength, take);
                    trailerLength += take;
                    inPos += take;
                    if (trailerLength < trailer.length) {
                        return n;
                    }
                    if (getIntLE(trailer, 0) != (int) crc.getValue()) {
                        throw new ZipException("incorrect gzip data check (CRC-32)");
                    }
                    if (getIntLE(trailer, 4) != (int) size) {
                        throw new ZipException("incorrect gzip length check (ISIZE)");
                    }
                    state = State.END;
                }
                case END -> {
                    if (inPos < inEnd) {
                        throw new ZipException("junk found after the end of the compressed data");
                    }
                    return n;
                }
            }
        }
    }

    /** Gathers and parses the gzip header; false while it is incomplete. */
    private boolean readHeader() throws ZipException {
        int available = inEnd - inPos;
        if (header == null) {
            header = new byte[Math.max(64, available)];
        } else if (headerLength + available > header.length) {
            header = java.util.Arrays.copyOf(header, Math.max(header.length * 2, headerLength + available));
        }
        System.arraycopy(in, inPos, header, headerLength, available);
        headerLength += available;
        inPos = inEnd;
        byte[] h = header;
        int len = headerLength;
        if (len >= 1 && (h[0] & 0xff) != 0x1f || len >= 2 && (h[1] & 0xff) != 0x8b) {
            throw new ZipException("not in gzip format");
        }
        if (len >= 3 && h[2] != 8) {
            throw new ZipException("unsupported gzip compression method");
        }
        if (len >= 4 && (h[3] & RESERVED) != 0) {
            throw new ZipException("reserved gzip header flags are set");
        }
        if (len < 10) {
            return false;
        }
        int flags = h[3] & 0xff;
        int p = 10;
        if ((flags & FEXTRA) != 0) {
            if (len < p + 2) {
                return false;
            }
            p += 2 + ((h[p] & 0xff) | (h[p + 1] & 0xff) << 8);
        }
        if ((flags & FNAME) != 0) {
            p = afterZero(h, p, len);
        }
        if ((flags & FCOMMENT) != 0 && p >= 0) {
            p = afterZero(h, p, len);
        }
        if (p < 0 || p > len) {
            return false;
        }
        if ((flags & FHCRC) != 0) {
            if (len < p + 2) {
                return false;
            }
            CRC32 headerCrc = new CRC32();
            headerCrc.update(h, 0, p);
            if (((h[p] & 0xff) | (h[p + 1] & 0xff) << 8) != ((int) headerCrc.getValue() & 0xffff)) {
                throw new ZipException("incorrect gzip header check (CRC-16)");
            }
            p += 2;
        }
        in = h;
        inPos = p;
        inEnd = len;
        header = null;
        return true;
    }

    /** The index after the zero byte that ends a header string starting at {@code p}; -1 if not there yet. */
    private static int afterZero(byte[] h, int p, int len) {
        for (int i = p; i < len; i++) {
            if (h[i] == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    private static int getIntLE(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    @Override
    boolean complete() {
        return state == State.END;
    }

    @Override
    void end() {
        inflater.end();
    }
}
