package dev.nano.server;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.netty.util.AsciiString;

/**
 * The {@code Date} header value (RFC 9110 §5.6.7 IMF-fixdate), formatted once per second. A response that
 * has read {@link System#nanoTime} already passes it, and reading the wall clock is then left to the
 * first response of each second.
 */
final class HttpDates {
    /** {@code text} is the date until {@code until} (a System.nanoTime()): when that second ends. */
    private record Cached(long until, AsciiString text) {}

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static volatile Cached cached = new Cached(System.nanoTime(), AsciiString.EMPTY_STRING);

    private HttpDates() {}

    /** An {@link AsciiString}: Netty's encoder copies its bytes as they are, with no per-char conversion. */
    static AsciiString now() {
        return at(System.nanoTime());
    }

    /** The date at {@code nanoTime}, a System.nanoTime() read just now. */
    static AsciiString at(long nanoTime) {
        Cached c = cached;
        if (nanoTime - c.until < 0) {
            return c.text;
        }
        long millis = System.currentTimeMillis();
        long second = millis / 1000;
        AsciiString text = new AsciiString(IMF_FIXDATE.format(
                ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second), ZoneOffset.UTC)));
        c = new Cached(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000 - millis % 1000), text);
        cached = c; // racy but whole: a record of final fields
        return c.text;
    }
}
