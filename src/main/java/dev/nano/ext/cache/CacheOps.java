package dev.nano.ext.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsRuntime;

/**
 * Ops of the "cache" extension (ext/cache/*.js): CacheStorage and Cache over the app's
 * {@link AppCache}, which the app's owner {@link JsRuntime#provide provides} (a context with no app,
 * e.g. {@code nano run}, gets a store of its own in memory).
 *
 * <p>Bodies cross in pieces: {@code put} streams the response body in with {@link #putWrite}, and a
 * matched body comes out {@link #PIECE} bytes at a time through {@link #read} (a disk entry is read
 * from its file as JS pulls). JS holds integer handles; a handle is freed when its body was read to
 * the end or JS releases it. One instance per context, used from its thread only. A call that fails
 * returns 0, -1 or false and {@link #error()} says why.
 */
public final class CacheOps {
    /** Largest piece of body handed to JS at once. */
    static final int PIECE = 64 * 1024;
    /** Handles a context may hold at once (bodies matched and not read, puts in progress). */
    static final int MAX_HANDLES = 4096;

    private final JsRuntime runtime;
    private final Map<Integer, Object> handles = new HashMap<>();
    private AppCache local;
    private int lastHandle;
    private String error = "";

    public CacheOps(JsRuntime runtime) {
        this.runtime = runtime;
    }

    private AppCache store() {
        AppCache app = runtime.service(AppCache.class);
        if (app != null) {
            return app;
        }
        if (local == null) {
            local = new AppCache(CacheSettings.DEFAULTS);
        }
        return local;
    }

    @Export
    public String error() {
        return error;
    }

    // ---- CacheStorage ----

    /** The id of cache {@code name} (created if needed); {@code isDefault}: caches.default. */
    @Export
    public int storageOpen(String name, boolean isDefault) {
        return store().open(isDefault ? AppCache.DEFAULT_NAME : name);
    }

    @Export
    public boolean storageHas(String name) {
        return store().has(name);
    }

    @Export
    public boolean storageDelete(String name) {
        return store().delete(name);
    }

    @Export
    public String[] storageKeys() {
        return store().keys().toArray(String[]::new);
    }

    // ---- put ----

    private record Pending(int cacheId, long entryId, String url, HeaderList requestHeaders, int status,
                           String statusText, HttpFreshness.Verdict verdict, EntryWriter writer) {}

    /**
     * Starts storing a response for GET {@code url}. Returns a handle for {@link #putWrite} and
     * {@link #putCommit}; 0 when the response is not to be stored (no-store, private, stale: Workers
     * resolves put() and keeps nothing); -1 when put() must reject with a TypeError.
     */
    @Export
    public int putBegin(int cacheId, String url, String requestHeaders, int status, String statusText,
                        String responseHeaders, boolean hasBody) {
        HeaderList headers = HeaderList.parse(responseHeaders);
        if (status == 206) {
            return fail("a 206 Partial Content response cannot be stored");
        }
        if (headers.tokens("vary").contains("*")) {
            return fail("a response with 'Vary: *' cannot be stored");
        }
        HttpFreshness.Verdict verdict = HttpFreshness.judge(headers, System.currentTimeMillis());
        if (!verdict.stored()) {
            error = "not stored: " + verdict.reason();
            return 0;
        }
        if (handles.size() >= MAX_HANDLES) {
            return fail("too many cache operations in progress in this context (at most " + MAX_HANDLES + ")");
        }
        AppCache store = store();
        long entryId = store.nextEntryId();
        EntryWriter writer;
        try {
            writer = hasBody ? store.newWriter(entryId) : null;
        } catch (java.io.UncheckedIOException e) {
            return fail(e.getMessage());
        }
        return add(new Pending(cacheId, entryId, url, HeaderList.parse(requestHeaders), status, statusText,
                verdict, writer));
    }

    /** Appends {@code length} bytes of {@code buffer} (an ArrayBuffer) from {@code offset}; false: over budget. */
    @Export
    public boolean putWrite(int handle, Value buffer, int offset, int length) {
        Pending p = (Pending) handles.get(handle);
        byte[] data = new byte[length];
        if (length > 0) {
            buffer.readBuffer(offset, data, 0, length);
        }
        boolean ok;
        try {
            ok = p.writer().write(data, length);
        } catch (java.io.UncheckedIOException e) {
            putAbort(handle);
            error = e.getMessage();
            return false;
        }
        if (!ok) {
            putAbort(handle);
            error = quota();
        }
        return ok;
    }

    /** Stores the entry; false when it alone exceeds the app's budget or the cache was deleted meanwhile. */
    @Export
    public boolean putCommit(int handle) {
        Pending p = (Pending) handles.remove(handle);
        EntryWriter w = p.writer();
        byte[] bytes = w == null ? null : w.finish();
        long length = w == null ? -1 : w.size();
        CacheEntry entry = new CacheEntry(p.entryId(), p.cacheId(), p.url(), p.requestHeaders(), p.status(),
                p.statusText(), p.verdict().headers(), System.currentTimeMillis(), p.verdict().expiresAt(), length,
                w != null && w.file() == null ? bytes : null, w == null ? null : w.file());
        try {
            if (!store().commit(entry)) {
                error = quota();
                return false;
            }
            return true;
        } catch (java.io.UncheckedIOException e) {
            if (w != null) {
                w.discard();
            }
            error = e.getMessage();
            return false;
        }
    }

    @Export
    public void putAbort(int handle) {
        Object h = handles.remove(handle);
        if (h instanceof Pending p && p.writer() != null) {
            p.writer().discard();
        }
    }

    private String quota() {
        return "the response is larger than the app's cache budget (" + store().settings().maxBytes() + " bytes)";
    }

    // ---- match, delete, keys ----

    /** Cache.match: a handle on the first entry {@code url} selects (with conditional and Range answers), or 0. */
    @Export
    public int match(int cacheId, String url, String method, String requestHeaders, int flags) {
        CacheQuery q = CacheQuery.of(url, method, requestHeaders, flags);
        List<CacheEntry> found = store().query(cacheId, q);
        if (found.isEmpty()) {
            return 0;
        }
        return add(new Reader(CachedAnswer.forRequest(found.get(0), q.requestHeaders())));
    }

    /** Cache.matchAll: handles on every entry selected ({@code url} null: all), oldest first. */
    @Export
    public int[] matchAll(int cacheId, String url, String method, String requestHeaders, int flags) {
        List<CacheEntry> found = store().query(cacheId, CacheQuery.of(url, method, requestHeaders, flags));
        int[] out = new int[found.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = add(new Reader(CachedAnswer.whole(found.get(i))));
        }
        return out;
    }

    @Export
    public boolean delete(int cacheId, String url, String method, String requestHeaders, int flags) {
        return store().remove(cacheId, CacheQuery.of(url, method, requestHeaders, flags));
    }

    /** Cache.keys: the requests selected, flat [url, headerLines, url, headerLines, ...]. */
    @Export
    public String[] keys(int cacheId, String url, String method, String requestHeaders, int flags) {
        List<CacheEntry> found = store().query(cacheId, CacheQuery.of(url, method, requestHeaders, flags));
        String[] out = new String[found.size() * 2];
        for (int i = 0; i < found.size(); i++) {
            out[2 * i] = found.get(i).url();
            out[2 * i + 1] = found.get(i).requestHeaders().join();
        }
        return out;
    }

    // ---- matched responses ----

    private static final class Reader {
        final CachedAnswer answer;
        long position;
        FileChannel channel;

        Reader(CachedAnswer answer) {
            this.answer = answer;
            this.position = answer.start();
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // read-only
                }
                channel = null;
            }
        }
    }

    /** status, statusText and the header list, joined with \n. */
    @Export
    public String head(int handle) {
        CachedAnswer a = ((Reader) handles.get(handle)).answer;
        String headers = a.headers().join();
        return a.status() + "\n" + a.statusText() + (headers.isEmpty() ? "" : "\n" + headers);
    }

    /** Bytes of body still to read; -1: a null body. */
    @Export
    public double bodyLength(int handle) {
        Reader r = (Reader) handles.get(handle);
        return r.answer.start() < 0 ? -1 : r.answer.end() - r.position;
    }

    /** The next piece of the body (at most {@link #PIECE} bytes); null at its end (the handle is freed). */
    @Export
    public ByteBuffer read(int handle) {
        Reader r = (Reader) handles.get(handle);
        if (r == null) {
            return null;
        }
        long left = r.answer.end() - r.position;
        if (left <= 0) {
            release(handle);
            return null;
        }
        int n = (int) Math.min(left, PIECE);
        byte[] out = new byte[n];
        CacheEntry e = r.answer.entry();
        if (e.bytes() != null) {
            System.arraycopy(e.bytes(), (int) r.position, out, 0, n);
        } else {
            try {
                if (r.channel == null) {
                    r.channel = FileChannel.open(e.file(), StandardOpenOption.READ);
                }
                ByteBuffer buf = ByteBuffer.wrap(out);
                while (buf.hasRemaining()) {
                    if (r.channel.read(buf, r.position + buf.position()) < 0) {
                        throw new IOException("the file is shorter than its entry says");
                    }
                }
            } catch (IOException ex) {
                error = "cannot read the cached body: " + ex.getMessage();
                release(handle);
                throw new IllegalStateException(error, ex);
            }
        }
        r.position += n;
        return ByteBuffer.wrap(out);
    }

    @Export
    public void release(int handle) {
        Object h = handles.remove(handle);
        if (h instanceof Reader r) {
            r.close();
        } else if (h instanceof Pending p && p.writer() != null) {
            p.writer().discard();
        }
    }

    private int add(Object handle) {
        if (handles.size() >= MAX_HANDLES) {
            if (handle instanceof Reader r) {
                r.close();
            }
            return fail("too many cached bodies left unread in this context (at most " + MAX_HANDLES + ")");
        }
        do {
            lastHandle = lastHandle == Integer.MAX_VALUE ? 1 : lastHandle + 1;
        } while (handles.containsKey(lastHandle));
        handles.put(lastHandle, handle);
        return lastHandle;
    }

    private int fail(String message) {
        error = message;
        return -1;
    }
}
