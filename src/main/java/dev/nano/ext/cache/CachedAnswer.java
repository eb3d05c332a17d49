package dev.nano.ext.cache;

/**
 * What {@code cache.match(request)} answers with a stored entry, as Workers does: the stored response,
 * or 304 Not Modified when the request's validators match (RFC 9110 §13.1.2 If-None-Match, weak
 * comparison, before §13.1.3 If-Modified-Since), or for a {@code Range: bytes=...} request
 * (§14.2) 206 with that part of the body, or 416 when no byte of it exists. Several ranges, or a
 * range unit other than bytes, get the whole response (a server may ignore Range).
 *
 * @param start first body byte to send
 * @param end one past the last body byte; {@code start == end == -1}: a null body
 */
record CachedAnswer(CacheEntry entry, int status, String statusText, HeaderList headers, long start, long end) {

    static CachedAnswer whole(CacheEntry e) {
        long len = e.bodyLength();
        return new CachedAnswer(e, e.status(), e.statusText(), e.headers(), len < 0 ? -1 : 0, len);
    }

    static CachedAnswer forRequest(CacheEntry e, HeaderList request) {
        if (e.status() == 200 && notModified(e.headers(), request)) {
            return new CachedAnswer(e, 304, "Not Modified",
                    e.headers().without("content-length", "content-type", "content-encoding", "content-range"), -1, -1);
        }
        String range = request.get("range");
        if (range == null || e.status() != 200 || e.bodyLength() < 0) {
            return whole(e);
        }
        long len = e.bodyLength();
        long[] r = parseRange(range, len);
        if (r == null) {
            return whole(e);
        }
        if (r.length == 0) {
            return new CachedAnswer(e, 416, "Range Not Satisfiable",
                    e.headers().without("content-length", "content-type").with("content-range", "bytes */" + len)
                            .with("content-length", "0"), -1, -1);
        }
        return new CachedAnswer(e, 206, "Partial Content",
                e.headers().with("content-range", "bytes " + r[0] + "-" + (r[1] - 1) + "/" + len)
                        .with("content-length", Long.toString(r[1] - r[0])), r[0], r[1]);
    }

    private static boolean notModified(HeaderList stored, HeaderList request) {
        String inm = request.get("if-none-match");
        if (inm != null) {
            String etag = stored.get("etag");
            if (inm.trim().equals("*")) {
                return true;
            }
            if (etag == null) {
                return false;
            }
            String mine = opaque(etag.trim());
            for (String tag : inm.split(",")) {
                if (opaque(tag.trim()).equals(mine)) {
                    return true;
                }
            }
            return false;
        }
        String ims = request.get("if-modified-since");
        String lastModified = stored.get("last-modified");
        if (ims == null || lastModified == null) {
            return false;
        }
        long since = HttpFreshness.parseDate(ims);
        long modified = HttpFreshness.parseDate(lastModified);
        return since >= 0 && modified >= 0 && modified <= since;
    }

    /** The opaque-tag of an entity-tag (weak comparison ignores the W/ prefix). */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /**
     * RFC 9110 §14.1.2 for one byte range over a body of {@code len} bytes: {start, end (exclusive)},
     * an empty array when unsatisfiable, null when the header is not a single byte range.
     */
    static long[] parseRange(String header, long len) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) { // suffix range: the last b bytes
                if (b.isEmpty()) {
                    return null;
                }
                long n = Long.parseLong(b);
                if (n < 0) {
                    return null;
                }
                return n == 0 || len == 0 ? new long[0] : new long[] {Math.max(0, len - n), len};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return null; // invalid: ignored (§14.1.1)
            }
            if (first >= len) {
                return new long[0];
            }
            return new long[] {first, Math.min(last, len - 1) + 1};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
