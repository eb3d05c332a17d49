package dev.nano.ext.cache;

import java.util.List;

/**
 * Service Workers §5.4.4 "request matches cached item": which stored entries a request (with the
 * CacheQueryOptions) selects. A null {@code url} selects every entry (matchAll() and keys() with no
 * request). URLs arrive without their fragment.
 */
record CacheQuery(String url, String method, HeaderList requestHeaders, boolean ignoreSearch, boolean ignoreMethod,
                  boolean ignoreVary) {
    static final int IGNORE_SEARCH = 1;
    static final int IGNORE_METHOD = 2;
    static final int IGNORE_VARY = 4;

    static CacheQuery of(String url, String method, String headerLines, int flags) {
        return new CacheQuery(url, method, HeaderList.parse(headerLines), (flags & IGNORE_SEARCH) != 0,
                (flags & IGNORE_METHOD) != 0, (flags & IGNORE_VARY) != 0);
    }

    /** The query {@code put} uses to replace what a new entry supersedes: its own request, no options. */
    static CacheQuery exact(String url, HeaderList requestHeaders) {
        return new CacheQuery(url, "GET", requestHeaders, false, false, false);
    }

    boolean matches(CacheEntry entry) {
        if (url == null) {
            return true;
        }
        if (!ignoreMethod && !method.equals("GET")) {
            return false;
        }
        String a = url;
        String b = entry.url();
        if (ignoreSearch) {
            a = withoutQuery(a);
            b = withoutQuery(b);
        }
        if (!a.equals(b)) {
            return false;
        }
        if (ignoreVary) {
            return true;
        }
        List<String> vary = entry.headers().tokens("vary");
        for (String field : vary) {
            if (field.equals("*")) {
                return false;
            }
            String mine = requestHeaders.get(field);
            String theirs = entry.requestHeaders().get(field);
            if (mine == null ? theirs != null : !mine.equals(theirs)) {
                return false;
            }
        }
        return true;
    }

    private static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
