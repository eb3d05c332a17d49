package dev.nano.server;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;

/**
 * First in the pipeline, before the HTTP decoder: the connection's two clocks, kept by one timer per
 * connection that is never scheduled or cancelled per request (reads and writes only note the time;
 * the timer, when it fires, works out whether a clock ran out and when to look again).
 * <ul>
 * <li>Request read timeout (slow-client protection): starts with the first byte of a request and stops when
 * {@link RequestBodyHandler} has the whole request ({@link #REQUEST_RECEIVED}) or hands its head on with a
 * streaming body ({@link #BODY_STREAMING}); a client that takes longer (headers or a small body trickled
 * byte by byte) gets 408 and the connection is closed (RFC 9110 §15.5.9). A streaming body is read at the
 * pace JS reads it, so no clock runs over it: the app's answer deadline and the idle timeout cover a
 * client that stalls.</li>
 * <li>Idle timeout: nothing read or written for that long fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT}
 * (again after each further idle period), and {@link HttpPipeliningHandler} decides whether the connection
 * closes. It replaces Netty's {@code IdleStateHandler}, which adds a listener to every write.</li>
 * </ul>
 */
final class ConnectionTimeoutHandler extends ChannelDuplexHandler {
    /** User event fired down the pipeline once a whole request has been decoded. */
    static final Object REQUEST_RECEIVED = new Object();
    /** User event: a request's head went on and its body streams; bytes until REQUEST_RECEIVED are its body. */
    static final Object BODY_STREAMING = new Object();

    private static final byte[] RESPONSE = ("HTTP/1.1 408 Request Timeout\r\n"
            + "content-type: text/plain;charset=UTF-8\r\ncontent-length: 43\r\nconnection: close\r\n\r\n"
            + "Request Timeout: the request took too long\n").getBytes(StandardCharsets.US_ASCII);

    private final long readTimeoutNanos;
    private final long idleNanos;
    private ChannelHandlerContext ctx;
    private Ticker clock; // the event loop's (System.nanoTime, or a test's)
    private ScheduledFuture<?> timer;
    private boolean reading;
    private boolean streamingBody;
    private long readStart;
    private long lastActivity;
    private boolean inRead; // between a read and its channelReadComplete
    /** When the idle event last fired: the next one is one idle period later, unless something moves. */
    private long lastIdleEvent;

    ConnectionTimeoutHandler(long readTimeoutMillis, long idleMillis) {
        this.readTimeoutNanos = nanos(readTimeoutMillis);
        this.idleNanos = nanos(idleMillis);
    }

    private static long nanos(long millis) {
        return millis > 0 ? TimeUnit.MILLISECONDS.toNanos(millis) : Long.MAX_VALUE / 4; // 0: no timeout
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.clock = ctx.executor().ticker();
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (timer == null) {
            lastActivity = clock.nanoTime();
            lastIdleEvent = lastActivity;
            timer = ctx.executor().schedule(this::check, Math.min(idleNanos, readTimeoutNanos), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = clock.nanoTime();
        lastActivity = now;
        inRead = true;
        if (!reading && !streamingBody && msg instanceof ByteBuf buf && buf.isReadable()) {
            reading = true;
            readStart = now; // the timer is due within a read timeout from now: it sees this request in time
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!inRead) { // a write while a read is handled (a synchronous answer) has that read's time
            lastActivity = clock.nanoTime();
        }
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == REQUEST_RECEIVED || evt == BODY_STREAMING) {
            reading = false;
            streamingBody = evt == BODY_STREAMING;
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = clock.nanoTime();
        if (reading && now - readStart >= readTimeoutNanos) {
            // Written as bytes: this handler sits below the HTTP encoder.
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        long idleSince = Math.max(lastActivity, lastIdleEvent);
        if (now - idleSince >= idleNanos) {
            lastIdleEvent = now;
            ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
            if (!ctx.channel().isActive()) {
                return;
            }
            idleSince = now;
        }
        // next look: when the idle period would end, and never later than one read timeout from now, so
        // that a request starting meanwhile needs no timer of its own
        long next = Math.min(idleSince + idleNanos - now, reading ? readStart + readTimeoutNanos - now : readTimeoutNanos);
        timer = ctx.executor().schedule(this::check, Math.max(next, 1), TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel(); // the connection left HTTP (a WebSocket): its own idle handler takes over
    }
}
