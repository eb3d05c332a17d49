package dev.nano.ext.url;

import java.nio.ByteOrder;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsRuntime;

/**
 * The URL extension's ops (ext/url/00_url.js, 01_url_search_params.js). A parsed URL crosses to JS
 * as its serialized string, and the {@link UrlRecord#OFFSET_COUNT} offsets of its components are
 * written into an ArrayBuffer the caller passes (JS reads them through an Int32Array, in the
 * platform's byte order), as Deno's URL op does. JS slices its getters out of the string. Reading a
 * typed array's elements costs compiled JS nothing, where decoding offsets packed into the string
 * took a primordial call each (~0.1 µs apiece when measured, through the shared wrapper
 * 00_primordials.js no longer uses).
 */
public final class UrlOps {
    // Setter ids. Must match SET_* in ext/url/00_url.js.
    static final int SET_PROTOCOL = 0;
    static final int SET_USERNAME = 1;
    static final int SET_PASSWORD = 2;
    static final int SET_HOST = 3;
    static final int SET_HOSTNAME = 4;
    static final int SET_PORT = 5;
    static final int SET_PATHNAME = 6;
    static final int SET_SEARCH = 7;
    static final int SET_HASH = 8;
    /** The query from URLSearchParams' serializer (already encoded), or null to remove it (§6.2 update). */
    static final int SET_QUERY_FROM_PARAMS = 9;

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private final int[] offsets = new int[UrlRecord.OFFSET_COUNT];
    // The last base URL parsed: `new URL(path, base)` in a loop usually repeats the same base.
    private String lastBaseHref;
    private UrlRecord lastBase;

    public UrlOps(JsRuntime runtime) {}

    /**
     * §4.4 basic URL parser on {@code input} against {@code base} (null: none): the serialized URL,
     * its component offsets written into {@code offsetsOut}; null for failure.
     */
    @Export
    public String parse(String input, String base, Value offsetsOut) {
        UrlRecord url = parseRecord(input, base);
        return url == null ? null : serialize(url, offsetsOut);
    }

    /** Like {@link #parse} but returns only the serialized URL (for callers that need no components). */
    @Export
    public String href(String input, String base) {
        UrlRecord url = parseRecord(input, base);
        return url == null ? null : url.serialize(null);
    }

    private UrlRecord parseRecord(String input, String base) {
        UrlRecord baseRecord = null;
        if (base != null) {
            baseRecord = parseBase(base);
            if (baseRecord == null) {
                return null;
            }
        }
        return UrlParser.parse(input, baseRecord);
    }

    /** The parser never changes its base, so the record can be reused. */
    private UrlRecord parseBase(String base) {
        if (!base.equals(lastBaseHref)) {
            lastBase = UrlParser.parse(base, null);
            lastBaseHref = base;
        }
        return lastBase;
    }

    /** Runs the API setter {@code which} (§6.1) on the URL {@code href}; returns it as {@link #parse} does. */
    @Export
    public String set(String href, int which, String value, Value offsetsOut) {
        UrlRecord url = UrlParser.parse(href, null);
        if (url == null) {
            throw new IllegalArgumentException("not a valid URL: " + href);
        }
        switch (which) {
            case SET_PROTOCOL -> UrlParser.parse(value + ":", url, UrlParser.State.SCHEME_START);
            case SET_USERNAME -> {
                if (!url.cannotHaveUsernamePasswordPort()) {
                    url.username = PercentEncoding.encode(value, PercentEncoding.USERINFO);
                }
            }
            case SET_PASSWORD -> {
                if (!url.cannotHaveUsernamePasswordPort()) {
                    url.password = PercentEncoding.encode(value, PercentEncoding.USERINFO);
                }
            }
            case SET_HOST -> {
                if (!url.hasOpaquePath()) {
                    UrlParser.parse(value, url, UrlParser.State.HOST);
                }
            }
            case SET_HOSTNAME -> {
                if (!url.hasOpaquePath()) {
                    UrlParser.parse(value, url, UrlParser.State.HOSTNAME);
                }
            }
            case SET_PORT -> {
                if (!url.cannotHaveUsernamePasswordPort()) {
                    if (value.isEmpty()) {
                        url.port = -1;
                    } else {
                        UrlParser.parse(value, url, UrlParser.State.PORT);
                    }
                }
            }
            case SET_PATHNAME -> {
                if (!url.hasOpaquePath()) {
                    url.path.clear();
                    UrlParser.parse(value, url, UrlParser.State.PATH_START);
                }
            }
            case SET_SEARCH -> {
                if (value.isEmpty()) {
                    url.query = null;
                    url.stripTrailingSpacesFromOpaquePath();
                } else {
                    url.query = "";
                    UrlParser.parse(value.charAt(0) == '?' ? value.substring(1) : value, url, UrlParser.State.QUERY);
                }
            }
            case SET_HASH -> {
                if (value.isEmpty()) {
                    url.fragment = null;
                    url.stripTrailingSpacesFromOpaquePath();
                } else {
                    url.fragment = "";
                    UrlParser.parse(value.charAt(0) == '#' ? value.substring(1) : value, url, UrlParser.State.FRAGMENT);
                }
            }
            case SET_QUERY_FROM_PARAMS -> {
                url.query = value;
                if (value == null) {
                    url.stripTrailingSpacesFromOpaquePath();
                }
            }
            default -> throw new IllegalArgumentException("unknown URL setter " + which);
        }
        return serialize(url, offsetsOut);
    }

    /**
     * §5.1 application/x-www-form-urlencoded parser. Returns the names and values, in order, as one
     * string of length-prefixed items (see {@link FormCodec}).
     */
    @Export
    public String parseForm(String input) {
        return FormCodec.parse(input);
    }

    /** §5.2 application/x-www-form-urlencoded serializer, on the length-prefixed items of a list. */
    @Export
    public String serializeForm(String packedList) {
        return FormCodec.serialize(packedList);
    }

    /** The serialized URL; its offsets go into {@code out} as int32s, two per write. */
    private String serialize(UrlRecord url, Value out) {
        String href = url.serialize(offsets);
        for (int i = 0; i < UrlRecord.OFFSET_COUNT; i += 2) {
            long first = offsets[i] & 0xffffffffL;
            long second = offsets[i + 1] & 0xffffffffL;
            out.writeBufferLong(ORDER, 4L * i, ORDER == ByteOrder.LITTLE_ENDIAN ? second << 32 | first : first << 32 | second);
        }
        return href;
    }
}
