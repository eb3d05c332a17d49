package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;

import org.junit.jupiter.api.Test;

/** How the header lines a JS Response hands over become the Netty headers NANO sends. */
class ResponseHeadersTest {
    private static HttpHeaders parse(String lines) {
        HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        NettyExchange.headers(lines, h);
        return h;
    }

    @Test
    void namesAndValuesAlternateAndRepeatedNamesStaySeparate() {
        HttpHeaders h = parse("content-type\ntext/plain\nset-cookie\na=1\nset-cookie\nb=2\nx-empty\n");
        assertEquals("text/plain", h.get("Content-Type"));
        assertEquals(List.of("a=1", "b=2"), h.getAll("set-cookie"));
        assertTrue(h.contains("x-empty"));
        assertEquals("", h.get("x-empty"));
        assertEquals(4, h.size());
    }

    @Test
    void hopByHopHeadersAreDroppedWhateverTheirCaseAndContentLengthIsHandedBack() {
        HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        String length = NettyExchange.headers("Connection\nkeep-alive\nTransfer-Encoding\nchunked\nTE\ntrailers\n"
                + "upgrade\nh2c\nKeep-Alive\n5\nproxy-connection\nx\ntrailer\ny\nContent-Length\n3\ncontent-length\n4\nx-a\n1", h);
        assertFalse(h.contains("connection"));
        assertFalse(h.contains("transfer-encoding"));
        assertFalse(h.contains("te"));
        assertFalse(h.contains("upgrade"));
        assertFalse(h.contains("keep-alive"));
        assertFalse(h.contains("proxy-connection"));
        assertFalse(h.contains("trailer"));
        assertFalse(h.contains("content-length")); // NANO writes the length it sends
        assertEquals("4", length); // the app's last one, for the caller to judge (HEAD, 304, streams)
        assertEquals("1", h.get("x-a"));
        assertEquals(1, h.size());
    }

    @Test
    void emptyOrNoLinesMakeNoHeadersAndANameWithoutValueIsIgnored() {
        assertTrue(parse(null).isEmpty());
        assertTrue(parse("").isEmpty());
        HttpHeaders h = parse("x-a\n\nx-b");
        assertEquals("", h.get("x-a"));
        assertFalse(h.contains("x-b"));
    }

    @Test
    void aNameThatIsNotATokenIsRefusedEvenWhereNettyChecksNoNames() {
        HttpHeaders unchecked = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        for (String bad : new String[] {"x a\n1", "x:a\n1", "x\r\ny: z\n1", "\n1"}) {
            assertThrows(IllegalArgumentException.class, () -> NettyExchange.headers(bad, unchecked), bad);
        }
        for (String bad : new String[] {"x-a\n1\r", "x-a\nb\u0000c", "x-a\n\u007f", "x-a\n b", "content-type\n\ttext/plain"}) {
            assertThrows(IllegalArgumentException.class, () -> NettyExchange.headers(bad, unchecked), bad);
        }
        assertTrue(unchecked.isEmpty());
        NettyExchange.headers("x-a\na\tb \ncontent-type\ntext/html\ncontent-type\ntext/html", unchecked);
        assertEquals("a\tb ", unchecked.get("x-a"));
        assertEquals(List.of("text/html", "text/html"), unchecked.getAll("content-type"));
    }

    @Test
    void theDateHeaderIsAnImfFixdateOfNow() throws Exception {
        String date = HttpDates.now().toString();
        assertTrue(date.matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), date);
        long parsed = java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant().toEpochMilli();
        assertTrue(Math.abs(System.currentTimeMillis() - parsed) < 5_000, date);
    }
}
