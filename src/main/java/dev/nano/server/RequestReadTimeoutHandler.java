package dev.nano.server;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * First in the pipeline, before the HTTP decoder: slow-client protection. The clock starts with the
 * first byte of a request and stops when {@link RequestBodyHandler} has the whole request
 * ({@link #REQUEST_RECEIVED}) or hands its head on with a streaming body ({@link #BODY_STREAMING});
 * a client that takes longer (headers or a small body trickled byte by byte) gets 408 and the
 * connection is closed (RFC 9110 §15.5.9). A streaming body is read at the pace JS reads it, so no
 * clock runs over it: the app's answer deadline and the idle timeout cover a client that stalls.
 */
final class RequestReadTimeoutHandler extends ChannelDuplexHandler {
    /** User event fired down the pipeline once a whole request has been decoded. */
    static final Object REQUEST_RECEIVED = new Object();
    /** User event: a request's head went on and its body streams; bytes until REQUEST_RECEIVED are its body. */
    static final Object BODY_STREAMING = new Object();

    private static final byte[] RESPONSE = ("HTTP/1.1 408 Request Timeout\r\n"
            + "content-type: text/plain;charset=UTF-8\r\ncontent-length: 43\r\nconnection: close\r\n\r\n"
            + "Request Timeout: the request took too long\n").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean reading;
    private boolean streamingBody;
    private long startNanos;

    RequestReadTimeoutHandler(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!reading && !streamingBody && msg instanceof ByteBuf buf && buf.isReadable()) {
            reading = true;
            startNanos = System.nanoTime();
            if (timer == null) {
                timer = ctx.executor().schedule(() -> check(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == REQUEST_RECEIVED || evt == BODY_STREAMING) {
            reading = false; // the timer stays: it re-checks, rather than being cancelled and re-made per request
            streamingBody = evt == BODY_STREAMING;
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    private void check(ChannelHandlerContext ctx) {
        timer = null;
        if (!reading || !ctx.channel().isActive()) {
            return;
        }
        long left = timeoutNanos - (System.nanoTime() - startNanos);
        if (left > 0) {
            timer = ctx.executor().schedule(() -> check(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        // Written as bytes: this handler sits below the HTTP encoder.
        ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
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
}
