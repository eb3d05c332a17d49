package dev.nano.ext.cache;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a response may be stored and until when it is fresh, the way Workers' {@code cache.put}
 * reads the response's headers (RFC 9111 §3 and §4.2): {@code Cache-Control: no-store}, {@code no-cache}
 * and {@code private} keep it out, as does {@code Set-Cookie} unless {@code private=Set-Cookie} says to
 * drop that header; the lifetime is {@code s-maxage}, else {@code max-age}, else {@code Expires} minus
 * {@code Date}, less {@code Age}. A response with none of these is kept until evicted.
 */
final class HttpFreshness {
    /** Expiry of an entry without a lifetime. */
    static final long NEVER = Long.MAX_VALUE;

    /** The verdict on one response: {@code reason} is null when it is stored. */
    record Verdict(String reason, long expiresAt, HeaderList headers) {
        boolean stored() {
            return reason == null;
        }
    }

    private HttpFreshness() {}

    /**
     * @param headers the response's headers
     * @param now the wall clock, ms since the epoch
     * @return the verdict; its headers are those to store (Set-Cookie dropped when allowed)
     */
    static Verdict judge(HeaderList headers, long now) {
        Map<String, String> cc = cacheControl(headers.get("cache-control"));
        if (cc.containsKey("no-store")) {
            return skip("Cache-Control: no-store");
        }
        if (cc.containsKey("no-cache") && cc.get("no-cache") == null) {
            return skip("Cache-Control: no-cache");
        }
        String priv = cc.get("private");
        if (cc.containsKey("private") && (priv == null || priv.isBlank())) {
            return skip("Cache-Control: private");
        }
        HeaderList stored = headers;
        if (headers.has("set-cookie")) {
            if (!listsField(priv, "set-cookie") && !listsField(cc.get("no-cache"), "set-cookie")) {
                return skip("it has Set-Cookie (Cache-Control: private=Set-Cookie stores it without the cookie)");
            }
            stored = headers.without("set-cookie");
        }
        long lifetimeMs = lifetime(cc, headers);
        if (lifetimeMs == Long.MIN_VALUE) {
            return new Verdict(null, NEVER, stored);
        }
        long age = seconds(headers.get("age"));
        if (age > 0) {
            lifetimeMs -= age * 1000;
        }
        if (lifetimeMs <= 0) {
            return skip("it is already stale (max-age, s-maxage or Expires)");
        }
        return new Verdict(null, now + lifetimeMs, stored);
    }

    private static Verdict skip(String reason) {
        return new Verdict(reason, 0, null);
    }

    /** Milliseconds of freshness, or MIN_VALUE when the headers give none. */
    private static long lifetime(Map<String, String> cc, HeaderList headers) {
        for (String directive : new String[] {"s-maxage", "max-age"}) {
            if (cc.containsKey(directive)) {
                long s = seconds(cc.get(directive));
                return s < 0 ? 0 : s * 1000; // an invalid value is stale (RFC 9111 §4.2.1)
            }
        }
        String expires = headers.get("expires");
        if (expires != null) {
            long at = parseDate(expires);
            if (at < 0) {
                return 0; // RFC 9111 §5.3: an invalid Expires (e.g. "0") is in the past
            }
            String date = headers.get("date");
            long base = date == null ? -1 : parseDate(date);
            return at - (base < 0 ? System.currentTimeMillis() : base);
        }
        return Long.MIN_VALUE;
    }

    /** RFC 9111 §5.2: directive names lowercase; a value without its quotes; null when it has none. */
    static Map<String, String> cacheControl(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        int i = 0;
        int n = value.length();
        while (i < n) {
            int start = i;
            while (i < n && value.charAt(i) != ',' && value.charAt(i) != '=') {
                i++;
            }
            String name = value.substring(start, i).trim().toLowerCase(Locale.ROOT);
            String arg = null;
            if (i < n && value.charAt(i) == '=') {
                i++;
                while (i < n && value.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && value.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    for (i++; i < n && value.charAt(i) != '"'; i++) {
                        if (value.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        sb.append(value.charAt(i));
                    }
                    i++; // the closing quote
                    arg = sb.toString();
                    while (i < n && value.charAt(i) != ',') {
                        i++;
                    }
                } else {
                    int s = i;
                    while (i < n && value.charAt(i) != ',') {
                        i++;
                    }
                    arg = value.substring(s, i).trim();
                }
            }
            i++; // the comma
            if (!name.isEmpty()) {
                out.putIfAbsent(name, arg);
            }
        }
        return out;
    }

    private static boolean listsField(String fields, String name) {
        if (fields == null) {
            return false;
        }
        for (String f : fields.split(",")) {
            if (f.trim().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** delta-seconds (RFC 9111 §1.2.2), or -1 when invalid or absent. */
    private static long seconds(String s) {
        if (s == null || s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = Math.min(v * 10 + (c - '0'), Integer.MAX_VALUE); // §1.2.2: overflow means "very large"
        }
        return v;
    }

    /** An HTTP-date (RFC 9110 §5.6.7; IMF-fixdate and RFC 850), ms since the epoch, or -1. */
    static long parseDate(String s) {
        try {
            return ZonedDateTime.parse(s.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return ZonedDateTime.parse(s.trim(), RFC_850).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                return -1;
            }
        }
    }

    private static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US);
}
