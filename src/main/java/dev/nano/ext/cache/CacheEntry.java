package dev.nano.ext.cache;

import java.nio.file.Path;

/**
 * One stored request/response pair (Service Workers §5.4 "request response list" item). Immutable;
 * its body is either in the heap ({@code bytes}) or in a file of the app's disk store ({@code file}),
 * never both. Readers that opened the file keep reading it after the entry is evicted.
 *
 * @param bodyLength -1: the response has a null body
 */
record CacheEntry(long id, int cacheId, String url, HeaderList requestHeaders, int status, String statusText,
                  HeaderList headers, long storedAt, long expiresAt, long bodyLength, byte[] bytes, Path file) {

    /** Bytes counted against the app's budget. */
    long weight() {
        return Math.max(0, bodyLength) + url.length() + requestHeaders.weight() + headers.weight() + 64;
    }

    boolean expired(long now) {
        return expiresAt <= now;
    }
}
