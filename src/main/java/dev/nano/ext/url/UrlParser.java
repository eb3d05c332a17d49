package dev.nano.ext.url;

/**
 * The basic URL parser (URL Standard §4.4), a state machine over the input's UTF-16 code units. The
 * input is a USVString in the spec; a lone surrogate here is percent-encoded as U+FFFD, which is
 * what the conversion to USVString would have produced.
 */
final class UrlParser {
    /** §4.4 the parser's states, in the order the spec lists them. */
    enum State {
        SCHEME_START, SCHEME, NO_SCHEME, SPECIAL_RELATIVE_OR_AUTHORITY, PATH_OR_AUTHORITY, RELATIVE,
        RELATIVE_SLASH, SPECIAL_AUTHORITY_SLASHES, SPECIAL_AUTHORITY_IGNORE_SLASHES, AUTHORITY, HOST,
        HOSTNAME, PORT, FILE, FILE_SLASH, FILE_HOST, PATH_START, PATH, OPAQUE_PATH, QUERY, FRAGMENT
    }

    private static final int EOF = -1;

    private final String input;
    private final int length;
    private final UrlRecord base;
    private final UrlRecord url;
    private final State stateOverride;

    private UrlParser(String input, UrlRecord base, UrlRecord url, State stateOverride) {
        this.input = input;
        this.length = input.length();
        this.base = base;
        this.url = url;
        this.stateOverride = stateOverride;
    }

    /** Parses {@code input} against {@code base} (may be null): the URL, or null for failure. */
    static UrlRecord parse(String input, UrlRecord base) {
        UrlRecord url = new UrlRecord();
        // Strip leading and trailing C0 controls and spaces (only when no url is given).
        int start = 0;
        int end = input.length();
        while (start < end && input.charAt(start) <= 0x20) {
            start++;
        }
        while (end > start && input.charAt(end - 1) <= 0x20) {
            end--;
        }
        String trimmed = removeTabsAndNewlines(input, start, end);
        return new UrlParser(trimmed, base, url, null).run() ? url : null;
    }

    /**
     * Runs the parser on an existing URL with a state override (for the API setters, §6.1). Changes
     * made before a failure stay, as in the spec. Returns false for failure.
     */
    static boolean parse(String input, UrlRecord url, State stateOverride) {
        String cleaned = removeTabsAndNewlines(input, 0, input.length());
        return new UrlParser(cleaned, null, url, stateOverride).run();
    }

    private static String removeTabsAndNewlines(String s, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                StringBuilder b = new StringBuilder(end - start);
                for (int j = start; j < end; j++) {
                    char d = s.charAt(j);
                    if (d != '\t' && d != '\n' && d != '\r') {
                        b.append(d);
                    }
                }
                return b.toString();
            }
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    private int at(int i) {
        return i >= 0 && i < length ? input.charAt(i) : EOF;
    }

    /** §4.4 "remaining starts with": the input after the pointer. */
    private boolean remainingStartsWith(int p, char c) {
        return at(p + 1) == c;
    }

    /** §4.2 "starts with a Windows drive letter", for the input from {@code p}. */
    private boolean startsWithWindowsDriveLetter(int p) {
        if (p + 1 >= length || !UrlRecord.isAsciiAlpha(input.charAt(p))) {
            return false;
        }
        char second = input.charAt(p + 1);
        if (second != ':' && second != '|') {
            return false;
        }
        int third = at(p + 2);
        return third == EOF || third == '/' || third == '\\' || third == '?' || third == '#';
    }

    private static boolean isSingleDot(CharSequence b) {
        return (b.length() == 1 && b.charAt(0) == '.')
                || (b.length() == 3 && b.charAt(0) == '%' && b.charAt(1) == '2' && (b.charAt(2) | 0x20) == 'e');
    }

    private static boolean isDoubleDot(CharSequence b) {
        return switch (b.length()) {
            case 2 -> b.charAt(0) == '.' && b.charAt(1) == '.';
            case 4 -> (b.charAt(0) == '.' && isPercent2e(b, 1)) || (isPercent2e(b, 0) && b.charAt(3) == '.');
            case 6 -> isPercent2e(b, 0) && isPercent2e(b, 3);
            default -> false;
        };
    }

    private static boolean isPercent2e(CharSequence b, int i) {
        return b.charAt(i) == '%' && b.charAt(i + 1) == '2' && (b.charAt(i + 2) | 0x20) == 'e';
    }

    /** Runs the state machine; false for failure. */
    private boolean run() {
        State state = stateOverride != null ? stateOverride : State.SCHEME_START;
        StringBuilder buffer = new StringBuilder(32);
        boolean atSignSeen = false;
        boolean insideBrackets = false;
        boolean passwordTokenSeen = false;
        int p = 0;
        while (true) {
            int c = at(p);
            switch (state) {
                case SCHEME_START -> {
                    if (UrlRecord.isAsciiAlpha(c)) {
                        buffer.append((char) (c | 0x20));
                        state = State.SCHEME;
                    } else if (stateOverride == null) {
                        state = State.NO_SCHEME;
                        p--;
                    } else {
                        return false;
                    }
                }
                case SCHEME -> {
                    if (UrlRecord.isAsciiAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                        buffer.append((char) (c >= 'A' && c <= 'Z' ? c | 0x20 : c));
                    } else if (c == ':') {
                        String scheme = buffer.toString();
                        if (stateOverride != null) {
                            boolean special = UrlRecord.isSpecialScheme(scheme);
                            if (url.isSpecial() != special) {
                                return true;
                            }
                            if ((url.includesCredentials() || url.port >= 0) && scheme.equals("file")) {
                                return true;
                            }
                            if (url.scheme.equals("file") && url.host != null && url.host.isEmpty()) {
                                return true;
                            }
                        }
                        url.scheme = scheme;
                        if (stateOverride != null) {
                            if (url.port == UrlRecord.defaultPort(scheme)) {
                                url.port = -1;
                            }
                            return true;
                        }
                        buffer.setLength(0);
                        if (scheme.equals("file")) {
                            state = State.FILE;
                        } else if (url.isSpecial() && base != null && base.scheme.equals(scheme)) {
                            state = State.SPECIAL_RELATIVE_OR_AUTHORITY;
                        } else if (url.isSpecial()) {
                            state = State.SPECIAL_AUTHORITY_SLASHES;
                        } else if (remainingStartsWith(p, '/')) {
                            state = State.PATH_OR_AUTHORITY;
                            p++;
                        } else {
                            url.opaquePath = "";
                            state = State.OPAQUE_PATH;
                        }
                    } else if (stateOverride == null) {
                        buffer.setLength(0);
                        state = State.NO_SCHEME;
                        p = -1; // start over from the first code point
                    } else {
                        return false;
                    }
                }
                case NO_SCHEME -> {
                    if (base == null || (base.hasOpaquePath() && c != '#')) {
                        return false;
                    } else if (base.hasOpaquePath()) {
                        url.scheme = base.scheme;
                        url.opaquePath = base.opaquePath;
                        url.query = base.query;
                        url.fragment = "";
                        state = State.FRAGMENT;
                    } else if (!base.scheme.equals("file")) {
                        state = State.RELATIVE;
                        p--;
                    } else {
                        state = State.FILE;
                        p--;
                    }
                }
                case SPECIAL_RELATIVE_OR_AUTHORITY -> {
                    if (c == '/' && remainingStartsWith(p, '/')) {
                        state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
                        p++;
                    } else {
                        state = State.RELATIVE;
                        p--;
                    }
                }
                case PATH_OR_AUTHORITY -> {
                    if (c == '/') {
                        state = State.AUTHORITY;
                    } else {
                        state = State.PATH;
                        p--;
                    }
                }
                case RELATIVE -> {
                    url.scheme = base.scheme;
                    if (c == '/') {
                        state = State.RELATIVE_SLASH;
                    } else if (url.isSpecial() && c == '\\') {
                        state = State.RELATIVE_SLASH;
                    } else {
                        url.username = base.username;
                        url.password = base.password;
                        url.host = base.host;
                        url.port = base.port;
                        url.path = new java.util.ArrayList<>(base.path);
                        url.query = base.query;
                        if (c == '?') {
                            url.query = "";
                            state = State.QUERY;
                        } else if (c == '#') {
                            url.fragment = "";
                            state = State.FRAGMENT;
                        } else if (c != EOF) {
                            url.query = null;
                            url.shortenPath();
                            state = State.PATH;
                            p--;
                        }
                    }
                }
                case RELATIVE_SLASH -> {
                    if (url.isSpecial() && (c == '/' || c == '\\')) {
                        state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
                    } else if (c == '/') {
                        state = State.AUTHORITY;
                    } else {
                        url.username = base.username;
                        url.password = base.password;
                        url.host = base.host;
                        url.port = base.port;
                        state = State.PATH;
                        p--;
                    }
                }
                case SPECIAL_AUTHORITY_SLASHES -> {
                    if (c == '/' && remainingStartsWith(p, '/')) {
                        state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
                        p++;
                    } else {
                        state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
                        p--;
                    }
                }
                case SPECIAL_AUTHORITY_IGNORE_SLASHES -> {
                    if (c != '/' && c != '\\') {
                        state = State.AUTHORITY;
                        p--;
                    }
                }
                case AUTHORITY -> {
                    if (c == '@') {
                        if (atSignSeen) {
                            buffer.insert(0, "%40");
                        }
                        atSignSeen = true;
                        StringBuilder username = new StringBuilder(url.username);
                        StringBuilder password = new StringBuilder(url.password);
                        String b = buffer.toString();
                        for (int i = 0; i < b.length(); ) {
                            if (b.charAt(i) == ':' && !passwordTokenSeen) {
                                passwordTokenSeen = true;
                                i++;
                                continue;
                            }
                            i += PercentEncoding.appendEncoded(passwordTokenSeen ? password : username,
                                    b, i, PercentEncoding.USERINFO);
                        }
                        url.username = username.toString();
                        url.password = password.toString();
                        buffer.setLength(0);
                    } else if (c == EOF || c == '/' || c == '?' || c == '#' || (url.isSpecial() && c == '\\')) {
                        if (atSignSeen && buffer.isEmpty()) {
                            return false; // host-missing
                        }
                        p -= buffer.length() + 1;
                        buffer.setLength(0);
                        state = State.HOST;
                    } else {
                        buffer.append((char) c);
                    }
                }
                case HOST, HOSTNAME -> {
                    if (stateOverride != null && url.scheme.equals("file")) {
                        p--;
                        state = State.FILE_HOST;
                    } else if (c == ':' && !insideBrackets) {
                        if (buffer.isEmpty()) {
                            return false; // host-missing
                        }
                        if (stateOverride == State.HOSTNAME) {
                            return false;
                        }
                        String host = HostParser.parse(buffer.toString(), !url.isSpecial());
                        if (host == null) {
                            return false;
                        }
                        url.host = host;
                        buffer.setLength(0);
                        state = State.PORT;
                    } else if (c == EOF || c == '/' || c == '?' || c == '#' || (url.isSpecial() && c == '\\')) {
                        p--;
                        if (url.isSpecial() && buffer.isEmpty()) {
                            return false; // host-missing
                        } else if (stateOverride != null && buffer.isEmpty()
                                && (url.includesCredentials() || url.port >= 0)) {
                            return false;
                        }
                        String host = HostParser.parse(buffer.toString(), !url.isSpecial());
                        if (host == null) {
                            return false;
                        }
                        url.host = host;
                        buffer.setLength(0);
                        state = State.PATH_START;
                        if (stateOverride != null) {
                            return true;
                        }
                    } else {
                        if (c == '[') {
                            insideBrackets = true;
                        } else if (c == ']') {
                            insideBrackets = false;
                        }
                        buffer.append((char) c);
                    }
                }
                case PORT -> {
                    if (c >= '0' && c <= '9') {
                        buffer.append((char) c);
                    } else if (c == EOF || c == '/' || c == '?' || c == '#' || (url.isSpecial() && c == '\\')
                            || stateOverride != null) {
                        if (!buffer.isEmpty()) {
                            int port = 0;
                            for (int i = 0; i < buffer.length(); i++) {
                                port = port * 10 + (buffer.charAt(i) - '0');
                                if (port > 65535) {
                                    return false; // port-out-of-range
                                }
                            }
                            url.port = port == UrlRecord.defaultPort(url.scheme) ? -1 : port;
                            buffer.setLength(0);
                            if (stateOverride != null) {
                                return true;
                            }
                        }
                        if (stateOverride != null) {
                            return false;
                        }
                        state = State.PATH_START;
                        p--;
                    } else {
                        return false; // port-invalid
                    }
                }
                case FILE -> {
                    url.scheme = "file";
                    url.host = "";
                    if (c == '/' || c == '\\') {
                        state = State.FILE_SLASH;
                    } else if (base != null && base.scheme.equals("file")) {
                        url.host = base.host;
                        url.path = new java.util.ArrayList<>(base.path);
                        url.query = base.query;
                        if (c == '?') {
                            url.query = "";
                            state = State.QUERY;
                        } else if (c == '#') {
                            url.fragment = "";
                            state = State.FRAGMENT;
                        } else if (c != EOF) {
                            url.query = null;
                            if (!startsWithWindowsDriveLetter(p)) {
                                url.shortenPath();
                            } else {
                                url.path.clear();
                            }
                            state = State.PATH;
                            p--;
                        }
                    } else {
                        state = State.PATH;
                        p--;
                    }
                }
                case FILE_SLASH -> {
                    if (c == '/' || c == '\\') {
                        state = State.FILE_HOST;
                    } else {
                        if (base != null && base.scheme.equals("file")) {
                            url.host = base.host;
                            if (!startsWithWindowsDriveLetter(p) && !base.path.isEmpty()
                                    && UrlRecord.isNormalizedWindowsDriveLetter(base.path.get(0))) {
                                url.path.add(base.path.get(0));
                            }
                        }
                        state = State.PATH;
                        p--;
                    }
                }
                case FILE_HOST -> {
                    if (c == EOF || c == '/' || c == '\\' || c == '?' || c == '#') {
                        p--;
                        if (stateOverride == null && UrlRecord.isWindowsDriveLetter(buffer)) {
                            // The buffer is kept and becomes the first path segment.
                            state = State.PATH;
                        } else if (buffer.isEmpty()) {
                            url.host = "";
                            if (stateOverride != null) {
                                return true;
                            }
                            state = State.PATH_START;
                        } else {
                            String host = HostParser.parse(buffer.toString(), !url.isSpecial());
                            if (host == null) {
                                return false;
                            }
                            url.host = host.equals("localhost") ? "" : host;
                            if (stateOverride != null) {
                                return true;
                            }
                            buffer.setLength(0);
                            state = State.PATH_START;
                        }
                    } else {
                        buffer.append((char) c);
                    }
                }
                case PATH_START -> {
                    if (url.isSpecial()) {
                        state = State.PATH;
                        if (c != '/' && c != '\\') {
                            p--;
                        }
                    } else if (stateOverride == null && c == '?') {
                        url.query = "";
                        state = State.QUERY;
                    } else if (stateOverride == null && c == '#') {
                        url.fragment = "";
                        state = State.FRAGMENT;
                    } else if (c != EOF) {
                        state = State.PATH;
                        if (c != '/') {
                            p--;
                        }
                    } else if (stateOverride != null && url.host == null) {
                        url.path.add("");
                    }
                }
                case PATH -> {
                    boolean slash = c == '/' || (url.isSpecial() && c == '\\');
                    if (c == EOF || slash || (stateOverride == null && (c == '?' || c == '#'))) {
                        if (isDoubleDot(buffer)) {
                            url.shortenPath();
                            if (!slash) {
                                url.path.add("");
                            }
                        } else if (isSingleDot(buffer) && !slash) {
                            url.path.add("");
                        } else if (!isSingleDot(buffer)) {
                            if (url.scheme.equals("file") && url.path.isEmpty()
                                    && UrlRecord.isWindowsDriveLetter(buffer)) {
                                buffer.setCharAt(1, ':');
                            }
                            url.path.add(buffer.toString());
                        }
                        buffer.setLength(0);
                        if (c == '?') {
                            url.query = "";
                            state = State.QUERY;
                        } else if (c == '#') {
                            url.fragment = "";
                            state = State.FRAGMENT;
                        }
                    } else {
                        p += PercentEncoding.appendEncoded(buffer, input, p, PercentEncoding.PATH) - 1;
                    }
                }
                case OPAQUE_PATH -> {
                    // Everything up to '?', '#' or the end, in one go.
                    int end = p;
                    while (end < length && input.charAt(end) != '?' && input.charAt(end) != '#') {
                        end++;
                    }
                    if (end > p) {
                        url.opaquePath += PercentEncoding.encode(input.substring(p, end), PercentEncoding.C0_CONTROL);
                    }
                    p = end;
                    c = at(p);
                    if (c == '?') {
                        url.query = "";
                        state = State.QUERY;
                    } else if (c == '#') {
                        url.fragment = "";
                        state = State.FRAGMENT;
                    }
                }
                case QUERY -> {
                    // The buffer is everything up to '#' (without a state override) or the end.
                    int end = p;
                    while (end < length && (stateOverride != null || input.charAt(end) != '#')) {
                        end++;
                    }
                    String encoded = PercentEncoding.encode(input.substring(p, end),
                            url.isSpecial() ? PercentEncoding.SPECIAL_QUERY : PercentEncoding.QUERY);
                    url.query = url.query == null ? encoded : url.query + encoded;
                    p = end;
                    if (at(p) == '#') {
                        url.fragment = "";
                        state = State.FRAGMENT;
                    }
                }
                case FRAGMENT -> {
                    if (p < length) {
                        String encoded = PercentEncoding.encode(input.substring(p), PercentEncoding.FRAGMENT);
                        url.fragment = url.fragment == null ? encoded : url.fragment + encoded;
                        p = length;
                    }
                }
            }
            if (p >= length) {
                break;
            }
            p++;
        }
        return true;
    }
}
