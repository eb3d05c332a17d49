package dev.nano.server;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.GlobalEventExecutor;

import dev.nano.apps.AppRegistry;
import dev.nano.apps.EventLog;

/**
 * The public HTTP/1.1 listener. Its pipeline, one concern per handler:
 * {@code ConnectionTimeoutHandler (read timeout, idle) → ResponseEncoder (HEAD aware) → HttpRequestDecoder →
 * RequestBodyHandler (small bodies whole, others streamed) → HttpPipeliningHandler (turns, keep-alive) →
 * AppDispatchHandler (413, 417, 100-continue)}. Request and response bodies stream with backpressure both
 * ways: a request body is read from the socket as JS pulls it ({@link StreamedBody}), a {@code ReadableStream}
 * response is written as JS produces it while the socket takes it.
 */
final class HttpServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AppRegistry registry;
    private final ServerLimits limits;
    private final RequestObserver observer;
    private final EventLog log;
    private final EventLoopGroup group;
    private final ChannelGroup connections = new DefaultChannelGroup("nano-http", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Answer deadlines: one per request, mostly cancelled, so a wheel (O(1)) beats the loops' timer heaps. */
    private final HashedWheelTimer deadlines = new HashedWheelTimer(
            Thread.ofPlatform().name("nano-deadlines").daemon(true).factory(), 50, TimeUnit.MILLISECONDS);
    private volatile boolean draining;
    private Channel listener;

    HttpServer(AppRegistry registry, ServerLimits limits, RequestObserver observer, EventLog log, EventLoopGroup group) {
        this.registry = registry;
        this.limits = limits;
        this.observer = observer;
        this.log = log;
        this.group = group;
    }

    /** Binds and starts accepting; returns the port (useful with port 0). */
    int bind(String host, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        configure(ch.pipeline());
                    }
                });
        listener = b.bind(host, port).sync().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    private void configure(ChannelPipeline p) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes());
        p.addLast("timeouts", new ConnectionTimeoutHandler(limits.requestReadTimeoutMillis(), limits.idleTimeoutMillis()));
        // the encoder first: after a WebSocket upgrade the frame encoder takes its place, and frames the
        // frame decoder (in the request decoder's place) writes itself, such as a 1009 close, pass it
        p.addLast("encoder", new ResponseEncoder());
        p.addLast("decoder", new HttpRequestDecoder(decoder));
        p.addLast("body", new RequestBodyHandler());
        p.addLast("pipelining", new HttpPipeliningHandler(limits.maxPipelinedRequests()));
        p.addLast("dispatch", new AppDispatchHandler(this));
    }

    AppRegistry registry() {
        return registry;
    }

    ServerLimits limits() {
        return limits;
    }

    RequestObserver observer() {
        return observer;
    }

    EventLog log() {
        return log;
    }

    HashedWheelTimer deadlines() {
        return deadlines;
    }

    boolean isDraining() {
        return draining;
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestFinished() {
        inFlight.decrementAndGet();
    }

    /** Requests received and not finished, their {@code waitUntil} work included. */
    int inFlight() {
        return inFlight.get();
    }

    int connectionCount() {
        return connections.size();
    }

    /**
     * Graceful shutdown, step one: no new connections; responses from now on carry
     * {@code Connection: close}, and connections with no request in progress are closed now.
     */
    void drain() {
        draining = true;
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        for (Channel ch : connections) {
            ch.eventLoop().execute(() -> {
                WebSocketSession webSocket = ch.pipeline().get(WebSocketSession.class);
                if (webSocket != null) { // RFC 6455 §7.4.1: 1001, the server is going away
                    webSocket.close(1001, "the server is shutting down");
                    return;
                }
                HttpPipeliningHandler turn = ch.pipeline().get(HttpPipeliningHandler.class);
                if (turn == null || turn.isIdle()) {
                    ch.close();
                }
            });
        }
    }

    @Override
    public void close() {
        draining = true;
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        deadlines.stop();
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
