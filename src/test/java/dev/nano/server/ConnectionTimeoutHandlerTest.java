package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;

/** The connection's read timeout and idle clock, on the embedded channel's clock (no sockets, no waiting). */
class ConnectionTimeoutHandlerTest {
    /** Counts the idle events that reach the end of the pipeline. */
    private static final class IdleEvents extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void aRequestNotWholeWithinTheReadTimeoutGets408AndTheConnectionCloses() {
        EmbeddedChannel ch = new EmbeddedChannel(new ConnectionTimeoutHandler(1000, 60_000));
        advance(ch, 5000); // no clock runs between requests, only the idle one
        assertTrue(ch.isOpen());
        ch.writeInbound(bytes("GET / HTTP/1.1\r\n"));
        advance(ch, 600);
        ch.writeInbound(bytes("Host: a\r\n")); // still trickling: the clock counts from the first byte
        advance(ch, 300);
        assertTrue(ch.isOpen());
        assertNull(ch.readOutbound());
        advance(ch, 200);
        ByteBuf answer = ch.readOutbound();
        assertTrue(answer.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 408 "));
        answer.release();
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void theReadClockStopsWhenTheRequestIsWholeAndRestartsWithTheNext() {
        EmbeddedChannel ch = new EmbeddedChannel(new ConnectionTimeoutHandler(1000, 60_000));
        for (int i = 0; i < 5; i++) {
            ch.writeInbound(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
            advance(ch, 700);
            ch.pipeline().fireUserEventTriggered(ConnectionTimeoutHandler.REQUEST_RECEIVED);
            advance(ch, 700);
        }
        assertTrue(ch.isOpen(), "each request was whole within the timeout");
        ch.writeInbound(bytes("GET / HTTP/1.1\r\n"));
        ch.pipeline().fireUserEventTriggered(ConnectionTimeoutHandler.BODY_STREAMING);
        advance(ch, 5000);
        assertTrue(ch.isOpen(), "a streaming body is read at the app's pace");
        ch.finishAndReleaseAll();
    }

    @Test
    void nothingReadOrWrittenForTheIdleTimeoutFiresOneIdleEventPerPeriod() {
        IdleEvents events = new IdleEvents();
        EmbeddedChannel ch = new EmbeddedChannel(new ConnectionTimeoutHandler(30_000, 1000), events);
        advance(ch, 600);
        ch.writeOutbound(bytes("x")); // a write moves the clock
        ((ByteBuf) ch.readOutbound()).release();
        advance(ch, 600);
        assertEquals(List.of(), events.seen);
        ch.writeInbound(bytes("GET"));
        ch.pipeline().fireUserEventTriggered(ConnectionTimeoutHandler.REQUEST_RECEIVED);
        ((ByteBuf) ch.readInbound()).release();
        advance(ch, 900);
        assertEquals(List.of(), events.seen, "a read moves it too");
        advance(ch, 200);
        assertEquals(List.of(IdleStateEvent.ALL_IDLE_STATE_EVENT), events.seen);
        advance(ch, 500);
        assertEquals(1, events.seen.size(), "the next one comes a whole idle period later");
        advance(ch, 600);
        assertEquals(2, events.seen.size());
        ch.finishAndReleaseAll();
    }

    @Test
    void leavingThePipelineStopsTheClocks() {
        IdleEvents events = new IdleEvents();
        EmbeddedChannel ch = new EmbeddedChannel(new ConnectionTimeoutHandler(1000, 1000), events);
        ch.writeInbound(bytes("GET / HTTP/1.1\r\n"));
        ((ByteBuf) ch.readInbound()).release();
        ch.pipeline().removeFirst(); // as for a WebSocket upgrade
        advance(ch, 5000);
        assertTrue(ch.isOpen());
        assertNull(ch.readOutbound());
        assertEquals(List.of(), events.seen);
        ch.finishAndReleaseAll();
    }
}
