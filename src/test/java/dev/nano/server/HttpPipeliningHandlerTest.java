package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;

/** The per-connection turn-taking, without sockets. */
class HttpPipeliningHandlerTest {
    private static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    @Test
    void oneRequestAtATimeInOrder() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpPipeliningHandler(8));
        ch.writeInbound(get("/1"), get("/2"), get("/3"));
        assertEquals("/1", ((FullHttpRequest) ch.readInbound()).uri());
        assertNull(ch.readInbound(), "/2 waits until /1 is answered");
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertNull(ch.readInbound(), "an informational response does not end the turn");
        ch.writeOutbound(ok());
        assertEquals("/2", ((FullHttpRequest) ch.readInbound()).uri());
        ch.writeOutbound(ok());
        assertEquals("/3", ((FullHttpRequest) ch.readInbound()).uri());
        ch.finishAndReleaseAll();
    }

    @Test
    void tooManyPipelinedRequestsCloseTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpPipeliningHandler(1));
        ch.writeInbound(get("/1"), get("/2"));
        assertTrue(ch.isOpen());
        ch.writeInbound(get("/3"));
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void idleConnectionsCloseButNotWhileARequestRuns() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpPipeliningHandler(8));
        ch.writeInbound(get("/1"));
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertTrue(ch.isOpen(), "a request is in progress");
        ch.writeOutbound(ok());
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void aStreamedResponseThatStallsIsClosedWhenIdleAndItsEndEndsTheTurn() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpPipeliningHandler(8));
        ch.writeInbound(get("/1"), get("/2"));
        ch.readInbound();
        ch.writeOutbound(chunked());
        ch.writeOutbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {1})));
        assertNull(ch.readInbound(), "the turn lasts until the last chunk");
        ch.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertEquals("/2", ((FullHttpRequest) ch.readInbound()).uri());
        ch.writeOutbound(chunked());
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertFalse(ch.isOpen(), "nothing moved for the idle timeout in the middle of a streamed body");
        ch.finishAndReleaseAll();
    }

    private static DefaultHttpResponse chunked() {
        DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        return r;
    }

    private static DefaultFullHttpResponse ok() {
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }

    @Test
    void keepAliveConnectionsStayOpenAcrossResponses() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpPipeliningHandler(8));
        for (int i = 0; i < 3; i++) {
            ch.writeInbound(get("/" + i));
            ch.readInbound();
            DefaultFullHttpResponse r = ok();
            ch.writeOutbound(r);
            assertFalse(r.headers().contains(HttpHeaderNames.CONNECTION));
            assertTrue(ch.isOpen());
        }
        ch.finishAndReleaseAll();
    }

    @Test
    void aRequestThatAsksToCloseGetsConnectionCloseAndNothingAfterItIsProcessed() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpPipeliningHandler(8));
        FullHttpRequest closing = get("/1");
        closing.headers().set(HttpHeaderNames.CONNECTION, "close");
        ch.writeInbound(closing, get("/2"));
        assertEquals("/1", ((FullHttpRequest) ch.readInbound()).uri());
        DefaultFullHttpResponse r = ok();
        ch.writeOutbound(r);
        assertEquals("close", r.headers().get(HttpHeaderNames.CONNECTION));
        assertFalse(ch.isOpen(), "closed once the response is written");
        assertNull(ch.readInbound(), "RFC 9112 §9.6: a request after the close is not processed");
        ch.finishAndReleaseAll();
    }

    @Test
    void http10WithoutKeepAliveAndResponsesThatSayCloseOrHaveNoLengthEndTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpPipeliningHandler(8));
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/"));
        ch.readInbound();
        ch.writeOutbound(ok());
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();

        ch = new EmbeddedChannel(new HttpPipeliningHandler(8));
        ch.writeInbound(get("/"));
        ch.readInbound();
        DefaultFullHttpResponse saysClose = ok();
        saysClose.headers().set(HttpHeaderNames.CONNECTION, "close");
        ch.writeOutbound(saysClose);
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();

        ch = new EmbeddedChannel(new HttpPipeliningHandler(8));
        ch.writeInbound(get("/"));
        ch.readInbound();
        DefaultHttpResponse noLength = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        ch.writeOutbound(noLength);
        assertEquals("close", noLength.headers().get(HttpHeaderNames.CONNECTION));
        assertTrue(ch.isOpen(), "the body is still to come");
        ch.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertFalse(ch.isOpen(), "its end is the end of the connection");
        ch.finishAndReleaseAll();
    }

    @Test
    void hostHeadersAreValidated() {
        for (String ok : new String[] {"a.b", "a.b:80", "[::1]:8080", "127.0.0.1", "x_y-z", ""}) {
            assertTrue(AppDispatchHandler.isValidHost(ok), ok);
        }
        for (String bad : new String[] {"a b", "a/b", "a:b", "[::1", "a@b", "a:80:90", "[g::]"}) {
            assertFalse(AppDispatchHandler.isValidHost(bad), bad);
        }
    }
}
