package dev.nano.ext.cache;

import java.nio.file.Path;

/**
 * An app's Cache API storage, from {@code nano.json} ({@code "cache": {"dir": ..., "maxMb": ...}}).
 *
 * @param dir where entries are kept so that they survive a restart (absolute); null: in memory
 * @param maxBytes the app's budget over all its caches; the least recently used entries go first
 */
public record CacheSettings(Path dir, long maxBytes) {
    /** Heap an app's caches may take when nano.json sets no budget. */
    public static final long DEFAULT_MEMORY_BYTES = 32L << 20;
    /** Disk an app's caches may take when nano.json gives a folder but no budget. */
    public static final long DEFAULT_DISK_BYTES = 256L << 20;
    public static final CacheSettings DEFAULTS = new CacheSettings(null, DEFAULT_MEMORY_BYTES);

    /** @param maxBytes 0: the default for the kind of store */
    public static CacheSettings of(Path dir, long maxBytes) {
        return new CacheSettings(dir, maxBytes > 0 ? maxBytes : dir == null ? DEFAULT_MEMORY_BYTES : DEFAULT_DISK_BYTES);
    }
}
