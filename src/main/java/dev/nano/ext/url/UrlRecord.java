package dev.nano.ext.url;

import java.util.ArrayList;

/**
 * A URL record (URL Standard §4.1) and its serializer (§4.5). Mutable: the parser builds it and the
 * API setters change it in place.
 */
final class UrlRecord {
    // Offsets written by serialize(), in this order. Must match OFFSET_* in ext/url/00_url.js.
    static final int SCHEME_END = 0;   // index of the ':' ending the scheme
    static final int USERNAME_END = 1; // == HOST_START when there are no credentials
    static final int HOST_START = 2;
    static final int HOST_END = 3;
    static final int PORT_END = 4;     // after the port's digits; == HOST_END when there is no port
    static final int PATH_START = 5;
    static final int QUERY_START = 6;  // index of '?', or -1
    static final int FRAGMENT_START = 7; // index of '#', or -1
    static final int OFFSET_COUNT = 8;

    String scheme = "";
    String username = "";
    String password = "";
    /** The serialized host (§3.6): domain, "[IPv6]", IPv4, opaque host or ""; null when there is none. */
    String host;
    int port = -1;
    /** Non-null when the URL has an opaque path (§4.1); then {@link #path} is unused. */
    String opaquePath;
    ArrayList<String> path = new ArrayList<>(4);
    String query;
    String fragment;

    /** The special schemes and their default ports (§4.1); -1: none (file), -2: not special. */
    static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            case "ftp" -> 21;
            case "file" -> -1;
            default -> -2;
        };
    }

    static boolean isSpecialScheme(String scheme) {
        return defaultPort(scheme) != -2;
    }

    boolean isSpecial() {
        return isSpecialScheme(scheme);
    }

    boolean hasOpaquePath() {
        return opaquePath != null;
    }

    boolean includesCredentials() {
        return !username.isEmpty() || !password.isEmpty();
    }

    boolean cannotHaveUsernamePasswordPort() {
        return host == null || host.isEmpty() || scheme.equals("file");
    }

    /** §4.2 shorten a URL's path. */
    void shortenPath() {
        if (scheme.equals("file") && path.size() == 1 && isNormalizedWindowsDriveLetter(path.get(0))) {
            return;
        }
        if (!path.isEmpty()) {
            path.remove(path.size() - 1);
        }
    }

    /** "Potentially strip trailing spaces from an opaque path" (used by the §6.1 setters and §6.2). */
    void stripTrailingSpacesFromOpaquePath() {
        if (opaquePath == null || fragment != null || query != null) {
            return;
        }
        int end = opaquePath.length();
        while (end > 0 && opaquePath.charAt(end - 1) == ' ') {
            end--;
        }
        opaquePath = opaquePath.substring(0, end);
    }

    static boolean isWindowsDriveLetter(CharSequence s) {
        return s.length() == 2 && isAsciiAlpha(s.charAt(0)) && (s.charAt(1) == ':' || s.charAt(1) == '|');
    }

    static boolean isNormalizedWindowsDriveLetter(CharSequence s) {
        return s.length() == 2 && isAsciiAlpha(s.charAt(0)) && s.charAt(1) == ':';
    }

    static boolean isAsciiAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** §4.5 URL serializer, with the component offsets written into {@code offsets} when non-null. */
    String serialize(int[] offsets) {
        StringBuilder out = new StringBuilder(64);
        out.append(scheme).append(':');
        int schemeEnd = scheme.length();
        int usernameEnd;
        int hostStart;
        int hostEnd;
        int portEnd;
        if (host != null) {
            out.append("//");
            usernameEnd = -1;
            if (includesCredentials()) {
                out.append(username);
                usernameEnd = out.length();
                if (!password.isEmpty()) {
                    out.append(':').append(password);
                }
                out.append('@');
            }
            hostStart = out.length();
            if (usernameEnd < 0) {
                usernameEnd = hostStart;
            }
            out.append(host);
            hostEnd = out.length();
            if (port >= 0) {
                out.append(':').append(port);
            }
            portEnd = out.length();
        } else {
            usernameEnd = hostStart = hostEnd = portEnd = out.length();
            if (opaquePath == null && path.size() > 1 && path.get(0).isEmpty()) {
                out.append("/.");
            }
        }
        int pathStart = out.length();
        if (opaquePath != null) {
            out.append(opaquePath);
        } else {
            for (int i = 0; i < path.size(); i++) {
                out.append('/').append(path.get(i));
            }
        }
        int queryStart = -1;
        if (query != null) {
            queryStart = out.length();
            out.append('?').append(query);
        }
        int fragmentStart = -1;
        if (fragment != null) {
            fragmentStart = out.length();
            out.append('#').append(fragment);
        }
        if (offsets != null) {
            offsets[SCHEME_END] = schemeEnd;
            offsets[USERNAME_END] = usernameEnd;
            offsets[HOST_START] = hostStart;
            offsets[HOST_END] = hostEnd;
            offsets[PORT_END] = portEnd;
            offsets[PATH_START] = pathStart;
            offsets[QUERY_START] = queryStart;
            offsets[FRAGMENT_START] = fragmentStart;
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return serialize(null);
    }
}
