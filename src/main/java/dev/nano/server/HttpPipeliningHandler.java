package dev.nano.server;

import java.util.ArrayDeque;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * After {@link RequestBodyHandler}: the turn-taking and keep-alive of one HTTP/1.1 connection (one handler
 * for both, as each request and response passes it anyway). One request at a time
 * goes down the pipeline; requests a client pipelined behind it wait here, so that responses leave in
 * request order (RFC 9112 §9.3.2) even when a later request would finish first. A turn ends when the
 * response's last piece is written (a streamed response ends after its last chunk). While requests
 * wait, the socket is not read (autoRead off), which bounds what one client can queue; a client that
 * does not pipeline never pays for that switch (each one is an epoll_ctl call). A connection is closed
 * when the idle timeout passes with nothing read or written while it is between requests or in the
 * middle of a streamed response (a request still waiting for its answer has the app's deadline).
 * <p>
 * Keep-alive (RFC 9112 §9.3, §9.6), as Netty's {@code HttpServerKeepAliveHandler} does it: after a request
 * that asks to close (or an HTTP/1.0 request without keep-alive), the connection closes once its response
 * is written, that response says {@code Connection: close}, and requests sent after it are not processed;
 * so it does after a response that says close or whose length only the end of the connection can tell.
 */
final class HttpPipeliningHandler extends ChannelDuplexHandler {
    private final int maxQueued;
    private final ArrayDeque<HttpRequest> queued = new ArrayDeque<>();
    private boolean inFlight;
    private boolean responding; // a streamed response's head is out, its last piece is not
    private boolean closing; // a request asked to close: no request after it is processed
    private boolean closeAfterTurn; // the request in flight (or its response) ends the connection

    HttpPipeliningHandler(int maxQueued) {
        this.maxQueued = maxQueued;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) { // RFC 9112 §9.6: the client said this connection ends with an earlier request
            discard(request);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        closing = !keepAlive;
        if (!inFlight) {
            start(ctx, request, keepAlive);
        } else if (queued.size() < maxQueued) {
            queued.add(request);
            ctx.channel().config().setAutoRead(false); // pipelined: stop reading until the queue drains
        } else {
            discard(request);
            ctx.close();
        }
    }

    private void start(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
        inFlight = true;
        closeAfterTurn = !keepAlive;
        ctx.fireChannelRead(request);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean informational = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        boolean endsResponse = msg instanceof LastHttpContent && !informational;
        if (msg instanceof EncodedResponse encoded) { // whole, and its Connection header already decided
            endsResponse = true;
            if (encoded.closes()) {
                closeAfterTurn = true;
                closing = true;
            }
        } else if (msg instanceof HttpResponse response && !informational) {
            if (!endsResponse) {
                responding = true;
            }
            if (closeAfterTurn || !HttpUtil.isKeepAlive(response) || !selfDelimited(response)) {
                closeAfterTurn = true;
                closing = true;
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
            }
        }
        if (endsResponse && closeAfterTurn) {
            ctx.write(msg, promise.unvoid()).addListener(ChannelFutureListener.CLOSE);
            inFlight = false;
            responding = false;
            return; // no next turn: the queued requests go with the connection
        }
        ctx.write(msg, promise);
        if (endsResponse) {
            inFlight = false;
            responding = false;
            HttpRequest next = queued.poll();
            if (next != null) {
                start(ctx, next, HttpUtil.isKeepAlive(next));
                ctx.fireChannelReadComplete(); // as after a socket read: what it produced is flushed
            } else if (!ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    /** The client can tell where the response ends without the connection closing (RFC 9112 §6.3). */
    private static boolean selfDelimited(HttpResponse response) {
        int code = response.status().code();
        return code == 204 || code == 304 || response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                || HttpUtil.isTransferEncodingChunked(response);
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

    /**
     * True when the request in its turn ends the connection: a response encoded ahead of this handler
     * ({@link EncodedResponse}) must then say {@code Connection: close}. I/O thread only.
     */
    boolean closesAfterTurn() {
        return closeAfterTurn;
    }

    /** True when the connection has no request in progress (for shutdown: such connections can close). */
    boolean isIdle() {
        return !inFlight && queued.isEmpty();
    }
}
