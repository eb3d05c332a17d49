package dev.nano.server;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A whole response that {@link NettyExchange} encoded itself, status line, headers and body in one buffer:
 * the usual answer of a synchronous handler, written without Netty's header map, response object and
 * encoder pass. The bytes are the ones {@link ResponseEncoder} would write for the same response (header
 * order included: the app's, then Content-Length, Date and Connection). {@link HttpPipeliningHandler} ends
 * the request's turn with it, closing the connection after it when {@link #closes()}, and
 * {@link ResponseEncoder} passes its bytes on as they are. Made on the connection's I/O thread only.
 */
final class EncodedResponse extends DefaultByteBufHolder {
    private static final byte[] HTTP_1_1 = ascii("HTTP/1.1 ");
    private static final byte[] CONTENT_TYPE = ascii("content-type");
    private static final byte[] CONTENT_LENGTH_NAME = ascii("content-length");
    private static final byte[] DATE_NAME = ascii("date");
    private static final byte[][] HOP_BY_HOP = new byte[NettyExchange.CONNECTION_HEADERS.length][];
    private static final byte[] CONTENT_LENGTH = ascii("content-length: ");
    private static final byte[] DATE = ascii("date: ");
    private static final byte[] CONNECTION_CLOSE = ascii("connection: close\r\n");
    /** "HTTP/1.1 200 OK\r\n" and the others, made on first use. */
    private static final byte[][] STATUS_LINES = new byte[600][];
    private static final short COLON_SPACE = (short) (':' << 8 | ' ');
    private static final short CRLF = (short) ('\r' << 8 | '\n');

    private final boolean closes;

    private EncodedResponse(ByteBuf bytes, boolean closes) {
        super(bytes);
        this.closes = closes;
    }

    /** The response says {@code Connection: close}: the connection closes once it is written. */
    boolean closes() {
        return closes;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The response {@link NettyExchange#respond} describes, or null when it is one this fast path leaves to
     * Netty's encoder (a status below 200 or 205, a header value with characters beyond Latin-1).
     *
     * @param head the request was HEAD: the headers describe a body that is not sent
     * @param closes the response ends the connection ({@code Connection: close})
     * @param nanoTime System.nanoTime() now, for the Date header
     * @throws IllegalArgumentException for a header Netty would refuse (nothing is allocated then)
     */
    static EncodedResponse encode(ByteBufAllocator alloc, int status, String statusText, String headerLines,
                                  byte[] body, boolean head, boolean closes, long nanoTime) {
        if (status < 200 || status == 205 || status >= STATUS_LINES.length) {
            return null; // Netty's encoder rewrites the Content-Length of 205 (and drops it for 1xx)
        }
        byte[] lines = null;
        if (headerLines != null) {
            NettyExchange.checkValues(headerLines);
            lines = headerLines.getBytes(StandardCharsets.ISO_8859_1); // as Netty writes chars: one byte each
            if (lines.length != headerLines.length()) {
                return null; // a surrogate pair became one '?': the offsets below would not match
            }
        }
        int length = body == null ? 0 : body.length;
        boolean noBody = status == 204 || status == 304;
        boolean sendBody = !head && !noBody && length > 0;
        byte[] statusLine = statusText == null || statusText.isEmpty() ? statusLine(status) : null;
        int size = (statusLine == null ? 16 + statusText.length() : statusLine.length)
                + (lines == null ? 0 : lines.length * 2) + 96 + (sendBody ? length : 0);
        ByteBuf buf = alloc.buffer(size);
        try {
            if (statusLine != null) {
                buf.writeBytes(statusLine);
            } else { // as HttpResponseStatus.encode writes a custom reason phrase
                HttpResponseStatus custom = new HttpResponseStatus(status, statusText);
                buf.writeBytes(HTTP_1_1);
                ByteBufUtil.copy(custom.codeAsText(), buf);
                buf.writeByte(' ');
                buf.writeCharSequence(custom.reasonPhrase(), StandardCharsets.US_ASCII);
                buf.writeShort(CRLF);
            }
            Headers app = lines == null ? Headers.NONE : headers(lines, buf);
            if (status == 304 || head && length == 0 && app.length != null) {
                if (app.length != null && status != 204) { // Netty's encoder drops it from a 204
                    buf.writeBytes(CONTENT_LENGTH);
                    buf.writeCharSequence(app.length, StandardCharsets.US_ASCII);
                    buf.writeShort(CRLF);
                }
            } else if (!noBody) {
                buf.writeBytes(CONTENT_LENGTH);
                writeDigits(buf, length);
                buf.writeShort(CRLF);
            }
            if (!app.date) {
                buf.writeBytes(DATE);
                ByteBufUtil.copy(HttpDates.at(nanoTime), buf);
                buf.writeShort(CRLF);
            }
            if (closes) {
                buf.writeBytes(CONNECTION_CLOSE);
            }
            buf.writeShort(CRLF);
            if (sendBody) {
                buf.writeBytes(body);
            }
            return new EncodedResponse(buf, closes);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    private static byte[] statusLine(int status) {
        byte[] line = STATUS_LINES[status];
        if (line == null) {
            HttpResponseStatus s = Statuses.of(status);
            line = ascii("HTTP/1.1 " + s.codeAsText() + " " + s.reasonPhrase() + "\r\n");
            STATUS_LINES[status] = line; // racy but harmless: equal values
        }
        return line;
    }

    /** What the app's headers said that the rest of the head depends on. */
    private record Headers(String length, boolean date) {
        static final Headers NONE = new Headers(null, false);
    }

    /**
     * Writes the app's headers ({@code name\nvalue\n...} as Latin-1 bytes) as {@code name: value\r\n}, checked
     * and filtered as {@link NettyExchange#headers} does it: no hop-by-hop header, no Content-Length (the last
     * one is returned for the caller to judge).
     */
    private static Headers headers(byte[] lines, ByteBuf buf) {
        String appLength = null;
        boolean date = false;
        int n = lines.length;
        int start = 0;
        while (start < n) {
            int mid = indexOf(lines, '\n', start, n); // between the name and its value
            if (mid < 0) {
                break; // a name without a value: nothing to send
            }
            int end = indexOf(lines, '\n', mid + 1, n);
            if (end < 0) {
                end = n;
            }
            if (end > mid + 1 && (lines[mid + 1] == ' ' || lines[mid + 1] == '\t')) {
                throw new IllegalArgumentException("a header value starts with whitespace"); // as Netty checks
            }
            int length = mid - start;
            boolean contentType = matches(lines, start, length, CONTENT_TYPE);
            if (!contentType) {
                if (matches(lines, start, length, CONTENT_LENGTH_NAME)) { // content-length
                    appLength = new String(lines, mid + 1, end - mid - 1, StandardCharsets.ISO_8859_1);
                    start = end + 1;
                    continue;
                }
                if (isConnectionHeader(lines, start, length)) {
                    start = end + 1;
                    continue;
                }
                if (length == 0 || !isToken(lines, start, mid)) {
                    throw new IllegalArgumentException("a header name is not a token: '"
                            + new String(lines, start, length, StandardCharsets.ISO_8859_1) + "'");
                }
                date |= length == 4 && matches(lines, start, length, DATE_NAME);
            }
            if (contentType) {
                buf.writeBytes(CONTENT_TYPE); // Netty's own name, whatever the case the app used
            } else {
                buf.writeBytes(lines, start, length);
            }
            buf.writeShort(COLON_SPACE);
            buf.writeBytes(lines, mid + 1, end - mid - 1);
            buf.writeShort(CRLF);
            start = end + 1;
        }
        return appLength == null && !date ? Headers.NONE : new Headers(appLength, date);
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Case-insensitive (ASCII) comparison of b[start, start+length) with a lowercase name. */
    private static boolean matches(byte[] b, int start, int length, byte[] name) {
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int c = b[start + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isConnectionHeader(byte[] b, int start, int length) {
        for (byte[] name : HOP_BY_HOP) {
            if (matches(b, start, length, name)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 §5.6.2 token, as Netty's HttpHeaderValidationUtil.validateToken checks a name. */
    private static boolean isToken(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            int c = b[i] & 0xff;
            if (c >= 128 || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (int i = 0; i < HOP_BY_HOP.length; i++) {
            HOP_BY_HOP[i] = ascii(NettyExchange.CONNECTION_HEADERS[i]);
        }
        for (char c = 0; c < 128; c++) {
            TCHAR[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }

    private static void writeDigits(ByteBuf buf, int v) {
        if (v < 10) {
            buf.writeByte('0' + v);
            return;
        }
        int digits = 0;
        for (int x = v; x != 0; x /= 10) {
            digits++;
        }
        int end = buf.writerIndex() + digits;
        buf.ensureWritable(digits);
        for (int i = end - 1; v != 0; i--, v /= 10) {
            buf.setByte(i, '0' + v % 10);
        }
        buf.writerIndex(end);
    }
}
