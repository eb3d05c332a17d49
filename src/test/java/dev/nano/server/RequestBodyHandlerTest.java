package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import dev.nano.ext.http.RequestBody;

/** Whole or streamed request bodies, and the streamed body's backpressure, without sockets. */
class RequestBodyHandlerTest {
    /** Records what one pull delivered. */
    static final class Pull implements RequestBody.Reader {
        final List<String> got = new ArrayList<>();

        @Override public void chunk(ByteBuffer bytes) { got.add("chunk " + bytes.remaining()); }
        @Override public void end() { got.add("end"); }
        @Override public void error(String message) { got.add("error " + message); }
    }

    private static HttpRequest post(String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/up");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    private static DefaultHttpContent bytes(int n) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[n]));
    }

    @Test
    void aSmallBodyThatArrivesWithItsHeadIsHandedOnWhole() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestBodyHandler());
        ch.writeInbound(post("content-length", "5"),
                new DefaultLastHttpContent(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8)));
        FullHttpRequest r = ch.readInbound();
        assertEquals("hello", r.content().toString(StandardCharsets.UTF_8));
        r.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aDeclaredSmallBodyIsWaitedForAcrossReads() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestBodyHandler());
        ch.writeInbound(post("content-length", "6"), new DefaultHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8)));
        assertNull(ch.readInbound(), "the rest of a small body is worth waiting for");
        ch.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("def", StandardCharsets.UTF_8)));
        FullHttpRequest r = ch.readInbound();
        assertEquals("abcdef", r.content().toString(StandardCharsets.UTF_8));
        r.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aBodyStillArrivingStreamsAndIsReadOnlyWhileSomeonePulls() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestBodyHandler());
        ch.writeInbound(post("transfer-encoding", "chunked"), bytes(1000)); // the read ends mid-body
        StreamedRequest r = assertInstanceOf(StreamedRequest.class, ch.readInbound());
        StreamedBody body = r.body();
        Pull first = new Pull();
        body.pull(first);
        assertEquals(List.of("chunk 1000"), first.got, "what came with the head");
        // nobody pulls: past the high-water mark the socket is no longer read
        for (int i = 0; i < 10; i++) {
            ch.writeInbound(bytes(8192));
        }
        assertFalse(ch.config().isAutoRead(), "auto-read is off while JS does not read");
        Pull second = new Pull();
        body.pull(second);
        assertEquals(List.of("chunk " + StreamedBody.MAX_CHUNK), second.got, "queued pieces are joined");
        assertTrue(ch.config().isAutoRead(), "below the mark again: reading resumes");
        Pull third = new Pull();
        body.pull(third);
        assertEquals(List.of("chunk " + (8192 * 10 - StreamedBody.MAX_CHUNK)), third.got);
        Pull fourth = new Pull();
        body.pull(fourth);
        assertEquals(List.of(), fourth.got, "nothing queued: the pull waits for the socket");
        ch.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertEquals(List.of("end"), fourth.got);
        ch.finishAndReleaseAll();
    }

    @Test
    void aStreamedBodyOverTheLimitFailsAndTellsTheExchange() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestBodyHandler());
        ch.writeInbound(post("transfer-encoding", "chunked"), bytes(600));
        StreamedBody body = ((StreamedRequest) ch.readInbound()).body();
        List<String> told = new ArrayList<>();
        body.limit(1000, () -> told.add("over"));
        Pull pull = new Pull();
        body.pull(pull);
        assertEquals(List.of("chunk 600"), pull.got);
        Pull next = new Pull();
        body.pull(next);
        ch.writeInbound(bytes(600));
        assertEquals(List.of("over"), told);
        assertEquals(List.of("error the request body exceeds the app's limit of 1000 bytes"), next.got);
        ch.finishAndReleaseAll();
    }

    @Test
    void aClientThatLeavesMidBodyErrorsTheStream() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestBodyHandler());
        ch.writeInbound(post("transfer-encoding", "chunked"), bytes(10));
        StreamedBody body = ((StreamedRequest) ch.readInbound()).body();
        body.pull(new Pull());
        Pull pull = new Pull();
        body.pull(pull);
        ch.close();
        assertEquals(List.of("error the client closed the connection before the body was complete"), pull.got);
        ch.finishAndReleaseAll();
    }
}
