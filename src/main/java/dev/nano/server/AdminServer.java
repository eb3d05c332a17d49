package dev.nano.server;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/**
 * The admin listener, on its own port (loopback by default): {@code HttpServerCodec →
 * HttpServerKeepAliveHandler → HttpObjectAggregator → AdminHandler}.
 */
final class AdminServer implements AutoCloseable {
    /** Uploaded modules travel in the request body. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final AdminApi api;
    private final EventLoopGroup group;
    private final ExecutorService slowWork = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("nano-admin").daemon(true).factory());
    private Channel listener;

    AdminServer(AdminApi api, EventLoopGroup group) {
        this.api = api;
        this.group = group;
    }

    int bind(String host, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(MAX_BODY_BYTES), new AdminHandler(api, slowWork));
                    }
                });
        listener = b.bind(host, port).sync().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        slowWork.shutdownNow();
    }
}
