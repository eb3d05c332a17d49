package dev.nano.server;

import java.util.ArrayDeque;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * After {@link RequestBodyHandler}: the turn-taking of one HTTP/1.1 connection. One request at a time
 * goes down the pipeline; requests a client pipelined behind it wait here, so that responses leave in
 * request order (RFC 9112 §9.3.2) even when a later request would finish first. A turn ends when the
 * response's last piece is written (a streamed response ends after its last chunk). While requests
 * wait, the socket is not read (autoRead off), which bounds what one client can queue; a client that
 * does not pipeline never pays for that switch (each one is an epoll_ctl call). A connection is closed
 * when the idle timeout passes with nothing read or written while it is between requests or in the
 * middle of a streamed response (a request still waiting for its answer has the app's deadline).
 */
final class HttpPipeliningHandler extends ChannelDuplexHandler {
    private final int maxQueued;
    private final ArrayDeque<HttpRequest> queued = new ArrayDeque<>();
    private boolean inFlight;
    private boolean responding; // a streamed response's head is out, its last piece is not

    HttpPipeliningHandler(int maxQueued) {
        this.maxQueued = maxQueued;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!inFlight) {
            inFlight = true;
            ctx.fireChannelRead(request);
        } else if (queued.size() < maxQueued) {
            queued.add(request);
            ctx.channel().config().setAutoRead(false); // pipelined: stop reading until the queue drains
        } else {
            discard(request);
            ctx.close();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean informational = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        boolean endsResponse = msg instanceof LastHttpContent && !informational;
        if (msg instanceof HttpResponse && !endsResponse && !informational) {
            responding = true;
        }
        ctx.write(msg, promise);
        if (endsResponse) {
            inFlight = false;
            responding = false;
            HttpRequest next = queued.poll();
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
            if (!inFlight && queued.isEmpty() || responding) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        HttpRequest r;
        while ((r = queued.poll()) != null) {
            discard(r);
        }
        ctx.fireChannelInactive();
    }

    private static void discard(HttpRequest request) {
        if (request instanceof StreamedRequest streamed) {
            streamed.body().discard();
        } else {
            ReferenceCountUtil.release(request);
        }
    }

    /** True when the connection has no request in progress (for shutdown: such connections can close). */
    boolean isIdle() {
        return !inFlight && queued.isEmpty();
    }
}
