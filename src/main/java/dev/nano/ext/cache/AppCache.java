package dev.nano.ext.cache;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One app's CacheStorage (Service Workers §5.5): its named caches and their entries, under one byte
 * budget with least-recently-used eviction, in memory or in a folder ({@link DiskStore}). Shared by
 * every context of the app (one per worker thread) and by its successive versions, so every method
 * is synchronized; bodies are written ({@link EntryWriter}) and read outside the lock.
 */
public final class AppCache {
    /** Name under which {@code caches.default} is kept; no name JS passes can equal it. */
    static final String DEFAULT_NAME = "\u0000default";

    private final CacheSettings settings;
    private final DiskStore disk;
    private final LinkedHashMap<String, Integer> names = new LinkedHashMap<>();
    private final Map<Integer, List<CacheEntry>> lists = new LinkedHashMap<>();
    /** Every live entry, least recently used first. */
    private final LinkedHashMap<Long, CacheEntry> lru = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long lastEntryId;
    private int lastCacheId;

    public AppCache(CacheSettings settings) {
        this.settings = settings;
        this.disk = settings.dir() == null ? null : new DiskStore(settings.dir());
        if (disk != null) {
            DiskStore.Loaded loaded = disk.load();
            names.putAll(loaded.names());
            names.values().forEach(id -> {
                lists.put(id, new ArrayList<>());
                lastCacheId = Math.max(lastCacheId, id);
            });
            lastEntryId = loaded.lastId();
            long now = System.currentTimeMillis();
            for (CacheEntry e : loaded.entries()) {
                List<CacheEntry> list = lists.get(e.cacheId());
                if (list == null || e.expired(now)) {
                    disk.delete(e);
                    continue;
                }
                list.add(e);
                lru.put(e.id(), e);
                bytes += e.weight();
            }
            evict(0);
        }
    }

    public CacheSettings settings() {
        return settings;
    }

    /** Bytes the entries take now. */
    public synchronized long bytes() {
        return bytes;
    }

    // ---- CacheStorage ----

    /** The id of cache {@code name}, created if needed. */
    public synchronized int open(String name) {
        Integer id = names.get(name);
        if (id == null) {
            id = ++lastCacheId;
            names.put(name, id);
            lists.put(id, new ArrayList<>());
            saveNames();
        }
        return id;
    }

    public synchronized boolean has(String name) {
        return names.containsKey(name);
    }

    /** Deletes cache {@code name} and its entries; a Cache object still holding its id sees it empty. */
    public synchronized boolean delete(String name) {
        Integer id = names.remove(name);
        if (id == null) {
            return false;
        }
        for (CacheEntry e : lists.remove(id)) {
            drop(e);
        }
        saveNames();
        return true;
    }

    /** The cache names in creation order (caches.default excluded). */
    public synchronized List<String> keys() {
        List<String> out = new ArrayList<>();
        for (String n : names.keySet()) {
            if (!n.equals(DEFAULT_NAME)) {
                out.add(n);
            }
        }
        return out;
    }

    // ---- one Cache ----

    /** Entries of cache {@code cacheId} that {@code query} selects, oldest first; expired ones are removed. */
    public synchronized List<CacheEntry> query(int cacheId, CacheQuery query) {
        List<CacheEntry> list = lists.get(cacheId);
        List<CacheEntry> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        long now = System.currentTimeMillis();
        for (Iterator<CacheEntry> it = list.iterator(); it.hasNext(); ) {
            CacheEntry e = it.next();
            if (e.expired(now)) {
                it.remove();
                drop(e);
            } else if (query.matches(e)) {
                lru.get(e.id()); // a read is a use
                out.add(e);
            }
        }
        return out;
    }

    /** Removes what {@code query} selects; true if anything was. */
    public synchronized boolean remove(int cacheId, CacheQuery query) {
        List<CacheEntry> list = lists.get(cacheId);
        boolean any = false;
        if (list != null) {
            for (Iterator<CacheEntry> it = list.iterator(); it.hasNext(); ) {
                CacheEntry e = it.next();
                if (query.matches(e)) {
                    it.remove();
                    drop(e);
                    any = true;
                }
            }
        }
        return any;
    }

    /** A new entry id and, for a disk store, the file its body streams into. */
    synchronized long nextEntryId() {
        return ++lastEntryId;
    }

    EntryWriter newWriter(long entryId) {
        long limit = disk == null ? Math.min(settings.maxBytes(), Integer.MAX_VALUE - 8) : settings.maxBytes();
        return new EntryWriter(limit, disk == null ? null : disk.pendingBody(entryId));
    }

    /**
     * Service Workers §5.4.5 put: stores {@code entry} in place of the entries its request selects,
     * then evicts the least recently used entries until the app is within budget. False when the
     * cache was deleted meanwhile or the entry alone exceeds the budget (it is not stored).
     */
    public boolean commit(CacheEntry entry) {
        if (entry.weight() > settings.maxBytes()) {
            discard(entry);
            return false;
        }
        CacheEntry stored = entry;
        if (disk != null) {
            if (entry.bytes() != null) {
                throw new IllegalStateException("a disk store's bodies are files");
            }
            stored = disk.save(entry); // I/O outside the lock: the entry is not visible yet
        }
        synchronized (this) {
            List<CacheEntry> list = lists.get(stored.cacheId());
            if (list == null) {
                discard(stored);
                return false;
            }
            remove(stored.cacheId(), CacheQuery.exact(stored.url(), stored.requestHeaders()));
            list.add(stored);
            lru.put(stored.id(), stored);
            bytes += stored.weight();
            evict(stored.id());
            return true;
        }
    }

    private void discard(CacheEntry entry) {
        if (disk != null) {
            disk.delete(entry);
            if (entry.file() != null) {
                try {
                    java.nio.file.Files.deleteIfExists(entry.file());
                } catch (java.io.IOException ignored) {
                    // removed by the next load
                }
            }
        }
    }

    /** Drops least recently used entries (never {@code keep}) until within budget. Lock held. */
    private void evict(long keep) {
        for (Iterator<CacheEntry> it = lru.values().iterator(); bytes > settings.maxBytes() && it.hasNext(); ) {
            CacheEntry e = it.next();
            if (e.id() == keep) {
                continue;
            }
            it.remove();
            bytes -= e.weight();
            List<CacheEntry> list = lists.get(e.cacheId());
            if (list != null) {
                list.remove(e);
            }
            if (disk != null) {
                disk.delete(e);
            }
        }
    }

    /** Forgets {@code e}, already taken out of its list. Lock held. */
    private void drop(CacheEntry e) {
        if (lru.remove(e.id()) != null) {
            bytes -= e.weight();
        }
        if (disk != null) {
            disk.delete(e);
        }
    }

    private void saveNames() {
        if (disk != null) {
            disk.saveNames(names);
        }
    }
}
