package dev.nano.server;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.netty.util.AsciiString;

/** The {@code Date} header value (RFC 9110 §5.6.7 IMF-fixdate), formatted once per second. */
final class HttpDates {
    private record Cached(long second, AsciiString text) {}

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static volatile Cached cached = new Cached(-1, AsciiString.EMPTY_STRING);

    private HttpDates() {}

    /** An {@link AsciiString}: Netty's encoder copies its bytes as they are, with no per-char conversion. */
    static AsciiString now() {
        long millis = System.currentTimeMillis();
        long second = millis / 1000;
        Cached c = cached;
        if (c.second != second) {
            AsciiString text = new AsciiString(IMF_FIXDATE.format(
                    ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second), ZoneOffset.UTC)));
            c = new Cached(second, text);
            cached = c;
        }
        return c.text;
    }
}
