package dev.nano.apps;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The log writer thread's output buffer: {@link EventLog}'s lines are encoded straight into it as UTF-8,
 * with no StringBuilder or String per line, and it goes to the stream in large writes. A request line is
 * mostly the same bytes every time (the time's second, the app, method and host), so those are cached;
 * what is written character by character takes one pass, escaping as {@link EventLog}'s own formatting
 * does (the two must write the same JSON). Used by one thread.
 */
final class LineBuffer {
    private static final int FLUSH_AT = 1 << 16;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIME = ascii("{\"time\":\"");
    private static final byte[] REQUEST = ascii("\",\"type\":\"request\"");
    private static final byte[] APP = ascii(",\"app\":");
    private static final byte[] METHOD = ascii(",\"method\":");
    private static final byte[] HOST = ascii(",\"host\":");
    private static final byte[] PATH = ascii(",\"path\":");
    private static final byte[] STATUS = ascii(",\"status\":");
    private static final byte[] MS = ascii(",\"ms\":");
    private static final byte[] BYTES = ascii(",\"bytes\":");
    private static final byte[] NULL = ascii("null");

    private final OutputStream out;
    private byte[] buf = new byte[FLUSH_AT + 1024];
    private int pos;
    // the time's second as Instant.toString writes it, without the 'Z'
    private long second = Long.MIN_VALUE;
    private byte[] secondText;
    // the last value of each often-repeated field, and its JSON bytes
    private final Field app = new Field();
    private final Field method = new Field();
    private final Field host = new Field();

    /** A field's last value (compared by identity, then by equals) and its encoded JSON string. */
    private static final class Field {
        String value;
        byte[] json;
    }

    LineBuffer(OutputStream out) {
        this.out = out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A request line, as {@link EventLog.RequestLine#format} writes it, and its newline. */
    void request(EventLog.RequestLine r) throws IOException {
        put(TIME);
        time(r.time());
        put(REQUEST);
        put(APP);
        cached(app, r.app());
        put(METHOD);
        cached(method, r.method());
        put(HOST);
        cached(host, r.host());
        put(PATH);
        string(r.path());
        put(STATUS);
        digits(r.status());
        put(MS);
        millis(r.millis());
        put(BYTES);
        digits(r.bytes());
        ensure(2);
        buf[pos++] = '}';
        buf[pos++] = '\n';
        flushIfFull();
    }

    /** A line made elsewhere (console and error lines), and its newline. */
    void line(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ensure(bytes.length + 1);
        put(bytes);
        buf[pos++] = '\n';
        flushIfFull();
    }

    /** Writes what is buffered and flushes the stream. */
    void flush() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            pos = 0;
        }
        out.flush();
    }

    private void flushIfFull() throws IOException {
        if (pos >= FLUSH_AT) {
            out.write(buf, 0, pos);
            pos = 0;
        }
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /** ISO-8601 UTC with milliseconds, as {@link Instant#toString} writes it (no fraction when it is 0). */
    private void time(long millis) {
        long s = Math.floorDiv(millis, 1000);
        if (s != second) {
            String text = Instant.ofEpochSecond(s).toString();
            secondText = ascii(text.substring(0, text.length() - 1));
            second = s;
        }
        put(secondText);
        ensure(5);
        int ms = (int) Math.floorMod(millis, 1000);
        if (ms != 0) {
            buf[pos++] = '.';
            buf[pos++] = (byte) ('0' + ms / 100);
            buf[pos++] = (byte) ('0' + ms / 10 % 10);
            buf[pos++] = (byte) ('0' + ms % 10);
        }
        buf[pos++] = 'Z';
    }

    private void cached(Field field, String value) {
        if (value != field.value && (value == null || !value.equals(field.value))) {
            int start = pos;
            string(value);
            field.json = Arrays.copyOfRange(buf, start, pos);
            field.value = value;
            pos = start;
        }
        put(field.json);
    }

    /** {@code value} as a JSON string (or null), escaped as EventLog.field escapes it, in UTF-8. */
    private void string(String value) {
        if (value == null) {
            ensure(4);
            put(NULL);
            return;
        }
        int n = value.length();
        ensure(n * 6 + 2); // the longest a char can get: a six-byte escape
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[p++] = (byte) c;
                continue;
            }
            switch (c) {
                case '"', '\\' -> {
                    b[p++] = '\\';
                    b[p++] = (byte) c;
                }
                case '\n' -> p = escape(b, p, 'n');
                case '\r' -> p = escape(b, p, 'r');
                case '\t' -> p = escape(b, p, 't');
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b[p++] = '\\';
                        b[p++] = 'u';
                        b[p++] = HEX[c >> 12];
                        b[p++] = HEX[c >> 8 & 0xf];
                        b[p++] = HEX[c >> 4 & 0xf];
                        b[p++] = HEX[c & 0xf];
                    } else if (c < 0x800) {
                        b[p++] = (byte) (0xc0 | c >> 6);
                        b[p++] = (byte) (0x80 | c & 0x3f);
                    } else if (!Character.isSurrogate(c)) {
                        b[p++] = (byte) (0xe0 | c >> 12);
                        b[p++] = (byte) (0x80 | c >> 6 & 0x3f);
                        b[p++] = (byte) (0x80 | c & 0x3f);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, value.charAt(++i));
                        b[p++] = (byte) (0xf0 | cp >> 18);
                        b[p++] = (byte) (0x80 | cp >> 12 & 0x3f);
                        b[p++] = (byte) (0x80 | cp >> 6 & 0x3f);
                        b[p++] = (byte) (0x80 | cp & 0x3f);
                    } else {
                        b[p++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) writes it
                    }
                }
            }
        }
        b[p++] = '"';
        pos = p;
    }

    private static int escape(byte[] b, int p, char c) {
        b[p] = '\\';
        b[p + 1] = (byte) c;
        return p + 2;
    }

    /** A long in decimal, as StringBuilder.append(long) writes it. */
    private void digits(long v) {
        ensure(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                put(ascii(Long.toString(v)));
                return;
            }
            buf[pos++] = '-';
            v = -v;
        }
        int end = pos + digitCount(v);
        int p = end;
        do {
            buf[--p] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        pos = end;
    }

    private static int digitCount(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    /** As {@link EventLog#appendMillis}: rounded to 3 decimals, written as Double.toString writes it. */
    private void millis(double millis) {
        long thousandths = Math.round(millis * 1000);
        if (thousandths < 0 || thousandths >= 10_000_000_000L) {
            put(ascii(Double.toString(thousandths / 1000.0)));
            return;
        }
        digits(thousandths / 1000);
        ensure(4);
        buf[pos++] = '.';
        int frac = (int) (thousandths % 1000);
        if (frac == 0) {
            buf[pos++] = '0';
            return;
        }
        buf[pos++] = (byte) ('0' + frac / 100);
        if (frac % 100 != 0) {
            buf[pos++] = (byte) ('0' + frac / 10 % 10);
            if (frac % 10 != 0) {
                buf[pos++] = (byte) ('0' + frac % 10);
            }
        }
    }
}
