package dev.nano.ext.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The zlib codecs and their ops, checked against java.util.zip's own streams. */
class CompressionOpsTest {
    private static Context context;

    @BeforeAll
    static void openContext() {
        context = Context.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
    }

    @AfterAll
    static void closeContext() {
        context.close();
    }

    /** An ArrayBuffer holding {@code bytes}, as JS passes it to the ops. */
    private static Value arrayBuffer(byte[] bytes) {
        Value buffer = context.eval("js", "(n) => new ArrayBuffer(n)").execute(bytes.length);
        Value view = context.eval("js", "(b) => new Uint8Array(b)").execute(buffer);
        for (int i = 0; i < bytes.length; i++) {
            view.setArrayElement(i, bytes[i] & 0xff);
        }
        return buffer;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** Runs {@code input} through the ops in chunks of {@code chunk} bytes; null if the ops reported an error. */
    private static byte[] through(CompressionOps ops, String format, boolean decompress, byte[] input, int chunk) {
        int id = ops.zlibOpen(format, decompress);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < input.length; at += chunk) {
            int n = Math.min(chunk, input.length - at);
            byte[] piece = java.util.Arrays.copyOfRange(input, at, at + n);
            ByteBuffer result = ops.zlibWrite(id, arrayBuffer(piece), 0, n);
            while (true) {
                if (result == null) {
                    return null;
                }
                out.writeBytes(bytes(result));
                if (!ops.zlibMore()) {
                    break;
                }
                result = ops.zlibPull(id);
            }
        }
        ByteBuffer result = ops.zlibFinish(id);
        while (true) {
            if (result == null) {
                return null;
            }
            out.writeBytes(bytes(result));
            if (!ops.zlibMore()) {
                break;
            }
            result = ops.zlibPull(id);
        }
        return out.toByteArray();
    }

    private static byte[] sample(int size) {
        byte[] data = new byte[size];
        Random random = new Random(7);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ('a' + random.nextInt(6)); // compressible, not trivial
        }
        return data;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void compressedOutputIsReadByJavaZip() throws IOException {
        byte[] data = sample(300_000);
        CompressionOps ops = new CompressionOps(null);
        assertArrayEquals(data, readAll(new GZIPInputStream(new ByteArrayInputStream(through(ops, "gzip", false, data, 7000)))));
        assertArrayEquals(data, readAll(new InflaterInputStream(new ByteArrayInputStream(through(ops, "deflate", false, data, 65536)))));
        assertArrayEquals(data, readAll(new InflaterInputStream(
                new ByteArrayInputStream(through(ops, "deflate-raw", false, data, 1000)), new Inflater(true))));
        assertEquals(0, ops.openCount(), "finished codecs are freed");
    }

    @Test
    void javaZipOutputIsDecompressedInAnyChunking() throws IOException {
        byte[] data = sample(200_000);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(data);
        }
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
            out.write(data);
        }
        CompressionOps ops = new CompressionOps(null);
        for (int chunk : new int[] {1, 3, 10, 4096, 1 << 20}) {
            if (chunk == 1) {
                byte[] small = sample(500);
                ByteArrayOutputStream smallGz = new ByteArrayOutputStream();
                try (GZIPOutputStream out = new GZIPOutputStream(smallGz)) {
                    out.write(small);
                }
                assertArrayEquals(small, through(ops, "gzip", true, smallGz.toByteArray(), 1), "byte by byte");
                continue;
            }
            assertArrayEquals(data, through(ops, "gzip", true, gz.toByteArray(), chunk), "gzip in chunks of " + chunk);
            assertArrayEquals(data, through(ops, "deflate", true, zlib.toByteArray(), chunk), "deflate in chunks of " + chunk);
        }
        assertEquals(0, ops.openCount());
    }

    @Test
    void aSmallBombComesOutOnePieceAtATime() throws ZipException {
        byte[] zeros = new byte[16 * 1024 * 1024];
        Deflater deflater = new Deflater(9, true);
        deflater.setInput(zeros);
        deflater.finish();
        byte[] bomb = new byte[64 * 1024];
        int n = deflater.deflate(bomb);
        assertTrue(deflater.finished() && n < 32 * 1024, "16 MiB of zeros deflate to " + n + " bytes");
        deflater.end();
        ZlibDecompressor decompressor = new ZlibDecompressor("deflate-raw");
        decompressor.input(bomb, 0, n);
        byte[] piece = new byte[CompressionOps.PIECE];
        long total = 0;
        int calls = 0;
        int got;
        do {
            got = decompressor.produce(piece);
            total += got;
            calls++;
        } while (got == piece.length);
        decompressor.finishing = true;
        decompressor.finish();
        assertEquals(0, decompressor.produce(piece));
        assertTrue(decompressor.complete());
        decompressor.end();
        assertEquals(zeros.length, total);
        assertTrue(calls >= zeros.length / CompressionOps.PIECE, "pieces: " + calls);
    }

    @Test
    void corruptTruncatedAndTrailingDataAreErrors() throws IOException {
        byte[] data = sample(10_000);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(data);
        }
        byte[] good = gz.toByteArray();
        CompressionOps ops = new CompressionOps(null);

        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        assertNull(through(ops, "gzip", true, truncated, 100));
        assertTrue(ops.zlibError().contains("unexpected end"), ops.zlibError());

        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertNull(through(ops, "gzip", true, trailing, 100));
        assertTrue(ops.zlibError().contains("junk"), ops.zlibError());

        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 6] ^= 1;
        assertNull(through(ops, "gzip", true, badCrc, 100));
        assertTrue(ops.zlibError().contains("CRC-32"), ops.zlibError());

        byte[] badLength = good.clone();
        badLength[badLength.length - 1] ^= 1;
        assertNull(through(ops, "gzip", true, badLength, 100));

        byte[] notGzip = good.clone();
        notGzip[0] = 0;
        assertNull(through(ops, "gzip", true, notGzip, 100));
        assertTrue(ops.zlibError().contains("not in gzip format"), ops.zlibError());

        assertNull(through(ops, "deflate", true, new byte[0], 1));
        assertEquals(0, ops.openCount(), "failed codecs are freed");
    }

    @Test
    void codecsAreLimitedPerContextAndFreedOnClose() {
        CompressionOps ops = new CompressionOps(null);
        int[] ids = new int[CompressionOps.MAX_OPEN];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ops.zlibOpen("gzip", i % 2 == 0);
            assertTrue(ids[i] > 0);
        }
        assertEquals(0, ops.zlibOpen("deflate", false));
        assertNotNull(ops.zlibError());
        for (int id : ids) {
            ops.zlibClose(id);
        }
        assertEquals(0, ops.openCount());
        assertFalse(ops.zlibOpen("deflate", false) == 0);
        assertThrows(IllegalArgumentException.class, () -> ops.zlibOpen("brotli", false));
        assertThrows(IllegalStateException.class, () -> ops.zlibPull(12345));
    }
}
