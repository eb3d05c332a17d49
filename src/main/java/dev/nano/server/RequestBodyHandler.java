package dev.nano.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * After the HTTP decoder, in place of an aggregator: one message per request for
 * {@link HttpPipeliningHandler}. A body that is declared small (Content-Length up to
 * {@link #WHOLE_BODY_MAX}, no {@code Expect}) or that arrives whole within one read is
 * handed on whole, as a {@link FullHttpRequest} (the fast path: hello world and small POSTs). Any other
 * body streams: a {@link StreamedRequest} goes on as soon as the read ends, and the rest of the body is
 * fed to its {@link StreamedBody} as it arrives. Tells {@link ConnectionTimeoutHandler} when a
 * request is whole ({@code REQUEST_RECEIVED}) and when its body streams ({@code BODY_STREAMING}).
 */
final class RequestBodyHandler extends ChannelInboundHandlerAdapter {
    /** Largest body gathered whole before it is handed on; larger ones stream. */
    static final int WHOLE_BODY_MAX = 64 * 1024;

    private HttpRequest head; // a request whose body is being gathered
    private ByteBuf gathered;
    private boolean waitForWhole; // declared small: gather it even across reads
    private StreamedBody streaming; // the body now streaming, until its last piece

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest full) { // the decoder's answer to a malformed request
            received(ctx);
            ctx.fireChannelRead(full);
        } else if (msg instanceof HttpRequest request) {
            head = request;
            long length = HttpUtil.getContentLength(request, -1L);
            // a client that sent Expect waits for an answer before the body: hand the head on at once
            waitForWhole = length >= 0 && length <= WHOLE_BODY_MAX
                    && !request.headers().contains(HttpHeaderNames.EXPECT);
        } else if (msg instanceof HttpContent content) {
            try {
                content(ctx, content);
            } finally {
                content.release();
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void content(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        DecoderResult result = content.decoderResult();
        if (streaming != null) {
            if (result.isFailure()) {
                streaming.fail("the request body is malformed (" + result.cause().getMessage() + ")");
                streaming = null;
                return;
            }
            streaming.offer(content.content());
            if (last) {
                streaming.end();
                streaming = null;
                received(ctx);
            }
            return;
        }
        if (head == null) {
            return; // the rest of a request that was answered as malformed: the decoder discards it too
        }
        if (content.content().isReadable()) {
            gather(ctx, content.content());
        }
        if (last || result.isFailure()) {
            fireWhole(ctx, result);
        } else if (!waitForWhole && gathered != null && gathered.readableBytes() > WHOLE_BODY_MAX) {
            startStreaming(ctx);
        }
    }

    private void gather(ChannelHandlerContext ctx, ByteBuf piece) {
        if (gathered == null) {
            gathered = piece.retain();
            return;
        }
        if (!(gathered instanceof CompositeByteBuf)) {
            CompositeByteBuf c = ctx.alloc().compositeBuffer(16);
            c.addComponent(true, gathered);
            gathered = c;
        }
        ((CompositeByteBuf) gathered).addComponent(true, piece.retain());
    }

    private void fireWhole(ChannelHandlerContext ctx, DecoderResult result) {
        HttpRequest h = head;
        ByteBuf body = gathered == null ? Unpooled.EMPTY_BUFFER : gathered;
        head = null;
        gathered = null;
        FullHttpRequest full = new DefaultFullHttpRequest(h.protocolVersion(), h.method(), h.uri(), body, h.headers(),
                EmptyHttpHeaders.INSTANCE);
        full.setDecoderResult(result.isFailure() ? result : h.decoderResult());
        received(ctx);
        ctx.fireChannelRead(full);
    }

    private void startStreaming(ChannelHandlerContext ctx) {
        StreamedBody body = new StreamedBody(ctx.channel());
        if (gathered != null) {
            body.offer(gathered);
            gathered.release();
            gathered = null;
        }
        streaming = body;
        HttpRequest h = head;
        head = null;
        ctx.pipeline().fireUserEventTriggered(ConnectionTimeoutHandler.BODY_STREAMING);
        ctx.fireChannelRead(new StreamedRequest(h, body));
    }

    private static void received(ChannelHandlerContext ctx) {
        ctx.pipeline().fireUserEventTriggered(ConnectionTimeoutHandler.REQUEST_RECEIVED);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (head != null && !waitForWhole) {
            startStreaming(ctx); // the body did not arrive with its head: it streams from here
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (streaming != null) {
            streaming.fail("the client closed the connection before the body was complete");
            streaming = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (gathered != null) {
            gathered.release();
            gathered = null;
        }
    }
}
