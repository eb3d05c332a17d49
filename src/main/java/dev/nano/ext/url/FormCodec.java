package dev.nano.ext.url;

/**
 * application/x-www-form-urlencoded (URL Standard §5) for URLSearchParams. A list of names and
 * values crosses between JS and Java as one string of items, each prefixed by its length: one char
 * if below 0xFFFF, else 0xFFFF and two chars (high 16 bits first). One string and one call per
 * list is much cheaper for interpreted JS than a call per name and value.
 * Must match pack/unpack in ext/url/01_url_search_params.js.
 */
final class FormCodec {
    static final char LONG = '\uFFFF';

    private FormCodec() {}

    /** §5.1 parser: split on '&', then on the first '=', '+' as space, percent-decode, UTF-8 decode. */
    static String parse(String input) {
        StringBuilder out = new StringBuilder(input.length() + 16);
        int length = input.length();
        int start = 0;
        while (start <= length) {
            int end = input.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                int eq = input.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    append(out, PercentEncoding.decode(input.substring(start, end), true));
                    append(out, "");
                } else {
                    append(out, PercentEncoding.decode(input.substring(start, eq), true));
                    append(out, PercentEncoding.decode(input.substring(eq + 1, end), true));
                }
            }
            start = end + 1;
        }
        return out.toString();
    }

    /** §5.2 serializer: name=value pairs joined by '&', each encoded by {@link PercentEncoding#appendForm}. */
    static String serialize(String packed) {
        StringBuilder out = new StringBuilder(packed.length() + 16);
        int i = 0;
        int item = 0;
        while (i < packed.length()) {
            int len = packed.charAt(i++);
            if (len == LONG) {
                len = packed.charAt(i) << 16 | packed.charAt(i + 1);
                i += 2;
            }
            out.append(item == 0 ? "" : (item & 1) == 1 ? "=" : "&");
            PercentEncoding.appendForm(out, packed, i, i + len);
            i += len;
            item++;
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String s) {
        int len = s.length();
        if (len < LONG) {
            out.append((char) len);
        } else {
            out.append(LONG).append((char) (len >>> 16)).append((char) len);
        }
        out.append(s);
    }
}
