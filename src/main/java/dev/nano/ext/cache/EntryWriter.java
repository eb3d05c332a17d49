package dev.nano.ext.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of an entry being {@code put}, as its chunks arrive from JS: kept in the heap for a memory
 * store, written straight to a file for a disk store (so a large body never sits in the heap). Used by
 * one context's thread; {@link #finish} hands the bytes or the file to the store.
 */
final class EntryWriter implements AutoCloseable {
    private final long limit;
    private final Path file;
    private final FileChannel channel;
    private final List<byte[]> chunks;
    private long size;

    /** @param file where the body goes, or null to keep it in memory */
    EntryWriter(long limit, Path file) {
        this.limit = limit;
        this.file = file;
        if (file == null) {
            this.channel = null;
            this.chunks = new ArrayList<>();
        } else {
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the cache folder: " + e.getMessage(), e);
            }
            this.chunks = null;
        }
    }

    /** @return false when the body outgrew the budget (nothing more is kept) */
    boolean write(byte[] data, int length) {
        size += length;
        if (size > limit) {
            return false;
        }
        if (channel == null) {
            chunks.add(length == data.length ? data : java.util.Arrays.copyOf(data, length));
            return true;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(data, 0, length);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cache folder: " + e.getMessage(), e);
        }
    }

    long size() {
        return size;
    }

    Path file() {
        return file;
    }

    /** The whole body of a memory entry (null for a file). Closes the writer. */
    byte[] finish() {
        close();
        if (chunks == null) {
            return null;
        }
        byte[] all = new byte[(int) size];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return all;
    }

    /** Gives up: the file, if any, is deleted. */
    void discard() {
        close();
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temporary file is removed when the store next loads
            }
        }
    }

    @Override
    public void close() {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was lost: the data is written or discarded
            }
        }
    }
}
