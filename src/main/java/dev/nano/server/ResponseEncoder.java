package dev.nano.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Before the request decoder (see {@link HttpServer}): Netty's response encoder, told by the
 * response itself when it answers a HEAD request. {@code HttpServerCodec} learns that by queueing every
 * request's method, and as a combined handler adds a hop to every event both ways; here one request is
 * answered at a time and {@link NettyExchange} knows its method. A response NettyExchange encoded itself
 * ({@link EncodedResponse}) passes as its bytes.
 */
final class ResponseEncoder extends HttpResponseEncoder {
    /** The head of a response to HEAD: its headers describe a body that is not sent (RFC 9110 §9.3.2). */
    static final class HeadResponse extends DefaultHttpResponse {
        HeadResponse(HttpResponseStatus status, HttpHeaders headers) {
            super(HttpVersion.HTTP_1_1, status, headers);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof EncodedResponse encoded) {
            ctx.write(encoded.content(), promise);
        } else {
            super.write(ctx, msg, promise);
        }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return msg instanceof HeadResponse || super.isContentAlwaysEmpty(msg);
    }
}
