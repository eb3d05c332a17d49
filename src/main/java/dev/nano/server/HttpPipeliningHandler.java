package dev.nano.server;

import java.util.ArrayDeque;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * After the aggregator: the turn-taking of one HTTP/1.1 connection. One request at a time goes down
 * the pipeline; requests a client pipelined behind it wait here, so that responses leave in request
 * order (RFC 9112 §9.3.2) even when a later request would finish first. While requests wait, the
 * socket is not read (autoRead off), which bounds what one client can queue; a client that does not
 * pipeline never pays for that switch (each one is an epoll_ctl call). A connection idle between
 * requests for the idle timeout is closed.
 */
final class HttpPipeliningHandler extends ChannelDuplexHandler {
    private final int maxQueued;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private boolean inFlight;

    HttpPipeliningHandler(int maxQueued) {
        this.maxQueued = maxQueued;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ctx.pipeline().fireUserEventTriggered(RequestReadTimeoutHandler.REQUEST_RECEIVED);
        if (!inFlight) {
            inFlight = true;
            ctx.fireChannelRead(request);
        } else if (queued.size() < maxQueued) {
            queued.add(request);
            ctx.channel().config().setAutoRead(false); // pipelined: stop reading until the queue drains
        } else {
            ReferenceCountUtil.release(request);
            ctx.close();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean endsResponse = msg instanceof LastHttpContent
                && !(msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL);
        ctx.write(msg, promise);
        if (endsResponse) {
            inFlight = false;
            FullHttpRequest next = queued.poll();
            if (next != null) {
                inFlight = true;
                ctx.fireChannelRead(next);
            } else if (!ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!inFlight && queued.isEmpty()) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FullHttpRequest r;
        while ((r = queued.poll()) != null) {
            ReferenceCountUtil.release(r);
        }
        ctx.fireChannelInactive();
    }

    /** True when the connection has no request in progress (for shutdown: such connections can close). */
    boolean isIdle() {
        return !inFlight && queued.isEmpty();
    }
}
