package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;

/**
 * {@code new WebSocket('wss://...')} against a TLS WebSocket echo server (Netty) with a self-signed
 * certificate made by the test: refused by the JDK's trust store, talking once the test trusts it.
 */
class WebSocketTlsTest {
    private static EventLoopGroup group;
    private static Channel server;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        TestCertificate cert = TestCertificate.create();
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(cert.keys.getKeyManagers(), null, null);
        trusting = cert.trusting;

        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SSLEngine engine = tls.createSSLEngine();
                        engine.setUseClientMode(false);
                        ch.pipeline().addLast(new SslHandler(engine), new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/echo"),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                        ctx.writeAndFlush(new TextWebSocketFrame("echo " + frame.text()));
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterAll
    static void stop() throws Exception {
        FetchClients.useSslContext(null);
        server.close().sync();
        group.shutdownGracefully().sync();
    }

    private static String run(String code) {
        return JsHarness.runChecked(code);
    }

    private static final String SCRIPT = """
            const ws = new WebSocket('wss://127.0.0.1:%d/echo');
            ws.onopen = () => ws.send('over TLS');
            ws.onmessage = (e) => { console.log(e.data); ws.close(1000, 'done'); };
            ws.onerror = (e) => console.log('error ' + e.message);
            await new Promise((resolve) => { ws.onclose = (e) => { console.log('close', e.code, e.wasClean); resolve(); }; });
            """;

    @Test
    void anUntrustedCertificateFailsTheConnection() {
        FetchClients.useSslContext(null);
        String out = run(SCRIPT.formatted(((InetSocketAddress) server.localAddress()).getPort()));
        assertTrue(out.startsWith("error ") && out.contains("TLS handshake failed") && out.endsWith("close 1006 false"), out);
    }

    @Test
    void aTrustedCertificateTalks() {
        FetchClients.useSslContext(trusting);
        try {
            assertEquals("echo over TLS\nclose 1000 true",
                    run(SCRIPT.formatted(((InetSocketAddress) server.localAddress()).getPort())));
        } finally {
            FetchClients.useSslContext(null);
        }
    }
}
