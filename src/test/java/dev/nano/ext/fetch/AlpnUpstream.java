package dev.nano.ext.fetch;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * An HTTPS upstream on Netty that offers, through ALPN, the protocols it is given ("h2",
 * "http/1.1"), and answers every request with the protocol that served it as the body, a status
 * of 201 and the request's method and path in headers. It records the TCP connections it accepted
 * and the protocol of each request. Test scope only.
 */
final class AlpnUpstream implements AutoCloseable {
    /** Client ports of the TCP connections accepted. */
    final Set<Integer> connections = ConcurrentHashMap.newKeySet();
    /** The protocol of each request served, in the order they were answered. */
    final List<String> served = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;

    AlpnUpstream(TestCertificate cert, String... protocols) throws Exception {
        SslContext ssl = SslContextBuilder.forServer(cert.keys)
                .sslProvider(SslProvider.JDK)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols))
                .build();
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch.remoteAddress().getPort());
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new Negotiated());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    String base() {
        return "https://127.0.0.1:" + ((java.net.InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Sets up the connection for the protocol ALPN chose (HTTP/1.1 when the client offered none). */
    private final class Negotiated extends ApplicationProtocolNegotiationHandler {
        Negotiated() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            ChannelPipeline p = ctx.pipeline();
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                // one child channel per stream, each seeing HTTP/1-style objects
                p.addLast(Http2FrameCodecBuilder.forServer().build(), new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel stream) {
                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                new HttpObjectAggregator(1 << 16), new Answer("h2"));
                    }
                }));
            } else {
                p.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), new Answer(protocol));
            }
        }
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String protocol;

        Answer(String protocol) {
            this.protocol = protocol;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            requests.incrementAndGet();
            served.add(protocol);
            byte[] body = protocol.getBytes(StandardCharsets.US_ASCII);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CREATED,
                    Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set("x-method", req.method().name())
                    .set("x-path", req.uri())
                    .set("x-request-body", req.content().toString(StandardCharsets.UTF_8));
            ctx.writeAndFlush(res);
        }
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
