package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaders;

import org.junit.jupiter.api.Test;

/** The bytes NettyExchange encodes itself are the ones Netty's encoder writes for the same response. */
class EncodedResponseTest {
    private static final String[] HEADER_LINES = {
        null, "", "content-type\ntext/plain;charset=UTF-8", "Content-Type\ntext/html",
        "content-type\ntext/plain\nx-a\n1\nx-b\n\nset-cookie\na=1\nset-cookie\nb=2",
        "content-length\n99\nx-y\nz", "connection\nkeep-alive\nkeep-alive\n5\ntransfer-encoding\nchunked\nte\nx\n"
            + "trailer\nx\nupgrade\nh2c\nproxy-connection\nx\nx-kept\n1",
        "date\nTue, 01 Jan 2030 00:00:00 GMT\nx\ny", "DATE\nsoon", "x-latin\ncafé ÿ", "x-wide\n€uro",
        "x-name-only", "x-a\n1\nx-name-only", "etag\n\"abc\"\ncache-control\nmax-age=60, public",
    };
    private static final int[] STATUSES = {200, 201, 204, 206, 301, 304, 400, 404, 418, 500, 503, 599};

    private static String netty(int status, String statusText, String lines, byte[] body, boolean head, boolean close) {
        HttpHeaders headers = NettyExchange.newHeaders();
        String appLength = NettyExchange.headers(lines, headers);
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseEncoder());
        ch.writeOutbound(NettyExchange.build(status, statusText, headers, appLength, body, head, close));
        return drain(ch);
    }

    private static String drain(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        ch.finishAndReleaseAll();
        return out.toString();
    }

    private static String encoded(int status, String statusText, String lines, byte[] body, boolean head, boolean close) {
        EncodedResponse r = EncodedResponse.encode(ByteBufAllocator.DEFAULT, status, statusText, lines, body, head, close, System.nanoTime());
        if (r == null) {
            return null;
        }
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseEncoder()); // passes the bytes on as they are
        ch.writeOutbound(r);
        return drain(ch);
    }

    /** The Date values differ when the second turns between the two encodings. */
    private static String sameDate(String response) {
        return response.replaceAll("\ndate: [A-Z][a-z][a-z], [^\r]* GMT\r\n", "\ndate: -\r\n");
    }

    @Test
    void bytesAreNettysForEveryShapeOfResponse() {
        List<byte[]> bodies = new ArrayList<>();
        bodies.add(null);
        bodies.add(new byte[0]);
        bodies.add("Hello World\n".getBytes(StandardCharsets.UTF_8));
        bodies.add("é".repeat(5000).getBytes(StandardCharsets.UTF_8));
        int compared = 0;
        for (int status : STATUSES) {
            for (String text : new String[] {"", "Fine Thanks", "Ça va"}) {
                for (String lines : HEADER_LINES) {
                    for (byte[] body : bodies) {
                        for (boolean head : new boolean[] {false, true}) {
                            for (boolean close : new boolean[] {false, true}) {
                                String mine = encoded(status, text, lines, body, head, close);
                                String expected = netty(status, text, lines, body, head, close);
                                assertEquals(sameDate(expected), sameDate(mine), status + " '" + text + "' " + lines
                                        + " body " + (body == null ? null : body.length) + " head " + head + " close " + close);
                                compared++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(compared > 1000);
        assertTrue(encoded(200, "", "content-type\ntext/plain", "x".getBytes(StandardCharsets.UTF_8), false, false)
                .startsWith("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 1\r\ndate: "));
    }

    @Test
    void leavesToNettyWhatItRewrites() {
        assertNull(EncodedResponse.encode(ByteBufAllocator.DEFAULT, 205, "", null, null, false, false, System.nanoTime()));
        assertNull(EncodedResponse.encode(ByteBufAllocator.DEFAULT, 103, "", null, null, false, false, System.nanoTime()));
        assertNull(EncodedResponse.encode(ByteBufAllocator.DEFAULT, 200, "", "x-emoji\n😀", null, false, false, System.nanoTime()));
    }

    @Test
    void statusLinesCarryTheRegisteredReasonPhrase() {
        String[][] cases = {{"418", "I'm a teapot"}, {"425", "Too Early"}, {"451", "Unavailable For Legal Reasons"},
            {"208", "Already Reported"}, {"226", "IM Used"}, {"508", "Loop Detected"}, {"404", "Not Found"}, {"599", "Server Error (599)"}};
        for (String[] c : cases) {
            int status = Integer.parseInt(c[0]);
            String expected = "HTTP/1.1 " + c[0] + " " + c[1] + "\r\n";
            assertTrue(encoded(status, "", null, null, false, false).startsWith(expected), c[0]);
            assertTrue(netty(status, "", null, new byte[1], false, false).startsWith(expected), c[0]); // the streamed path's status
        }
        assertTrue(encoded(418, "Short And Stout", null, null, false, false).startsWith("HTTP/1.1 418 Short And Stout\r\n"));
    }

    @Test
    void refusesWhatNettyRefuses() {
        for (String lines : new String[] {"bad name\nv", "\nv", "x\n v", "x\nline\rbreak", "x\n\u0000"}) {
            assertThrows(IllegalArgumentException.class, () -> NettyExchange.headers(lines, NettyExchange.newHeaders()), lines);
            assertThrows(IllegalArgumentException.class,
                    () -> EncodedResponse.encode(ByteBufAllocator.DEFAULT, 200, "", lines, null, false, false, System.nanoTime()), lines);
        }
    }
}
