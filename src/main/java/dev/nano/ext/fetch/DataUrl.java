package dev.nano.ext.fetch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Fetch §4.2 "data: URL processor" for a serialized URL: the MIME type as text (JS parses it with
 * the MIME Sniffing rules it already has) and the body bytes, base64-decoded with Infra's
 * "forgiving-base64 decode" when the type ends in {@code ;base64}.
 *
 * @param mimeType the type text, {@code text/plain;charset=US-ASCII} defaults applied by JS
 * @param body the decoded body
 */
record DataUrl(String mimeType, byte[] body) {
    static DataUrl parse(String href) {
        if (!href.regionMatches(true, 0, "data:", 0, 5)) {
            return null;
        }
        int hash = href.indexOf('#');
        String input = href.substring(5, hash >= 0 ? hash : href.length());
        int comma = input.indexOf(',');
        if (comma < 0) {
            return null;
        }
        String mime = stripAsciiWhitespace(input.substring(0, comma));
        byte[] body = percentDecode(input.substring(comma + 1));
        int semicolon = mime.lastIndexOf(';');
        if (semicolon >= 0 && stripAsciiWhitespace(mime.substring(semicolon + 1)).equalsIgnoreCase("base64")) {
            body = forgivingBase64(new String(body, StandardCharsets.ISO_8859_1));
            if (body == null) {
                return null;
            }
            mime = mime.substring(0, semicolon);
            // Fetch: strip trailing U+0020 and the ';' before "base64"
            int end = mime.length();
            while (end > 0 && mime.charAt(end - 1) == ' ') {
                end--;
            }
            mime = mime.substring(0, end);
        }
        if (mime.startsWith(";")) {
            mime = "text/plain" + mime;
        }
        return new DataUrl(mime, body);
    }

    private static String stripAsciiWhitespace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isAsciiWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isAsciiWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    /** URL Standard "percent-decode" of a string (as its UTF-8 bytes). */
    private static byte[] percentDecode(String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** Infra "forgiving-base64 decode"; null on failure. */
    static byte[] forgivingBase64(String data) {
        StringBuilder s = new StringBuilder(data.length());
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (!isAsciiWhitespace(c)) {
                s.append(c);
            }
        }
        if (s.length() % 4 == 0) {
            if (s.length() >= 1 && s.charAt(s.length() - 1) == '=') {
                s.setLength(s.length() - 1);
                if (s.length() >= 1 && s.charAt(s.length() - 1) == '=') {
                    s.setLength(s.length() - 1);
                }
            }
        }
        if (s.length() % 4 == 1) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) {
                return null;
            }
        }
        try {
            // the JDK decoder, unpadded and with lenient trailing bits, is "forgiving" once the input is clean
            return Base64.getDecoder().decode(padded(s));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String padded(StringBuilder s) {
        while (s.length() % 4 != 0) {
            s.append('=');
        }
        return s.toString();
    }
}
