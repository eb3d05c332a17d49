package dev.nano.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import dev.nano.ext.websocket.WebSocketConnection;
import dev.nano.ext.websocket.WebSocketListener;

/**
 * Last in a WebSocket connection's pipeline (see {@link WebSocketUpgrade}): whole messages go to the
 * app's {@link WebSocketListener}, pings are answered, and the closing handshake (RFC 6455 §7) is run
 * from either side. The listener hears exactly one close: clean with the peer's code, or 1006 when the
 * connection dropped without one, or the code NANO closed with (1009 too big, 1001 idle).
 */
final class WebSocketSession extends ChannelInboundHandlerAdapter implements WebSocketConnection {
    /** How long a close frame we sent waits for the peer's before the connection is cut. */
    static final long CLOSE_WAIT_MILLIS = 5_000;

    private final Channel channel;
    private final WebSocketListener listener;
    private final String extensions;
    private final AtomicLong handedOver = new AtomicLong();
    private volatile String protocol = "";
    private volatile boolean closeSent;
    private boolean closeReported; // I/O thread only
    private volatile int closeCode = 1006;
    private volatile String closeReason = "";

    WebSocketSession(Channel channel, WebSocketListener listener, String extensions) {
        this.channel = channel;
        this.listener = listener;
        this.extensions = extensions;
    }

    void opened(String selectedProtocol) {
        this.protocol = selectedProtocol == null ? "" : selectedProtocol;
    }

    // ---- from the app (any thread) ----

    @Override
    public void sendText(String text) {
        send(new TextWebSocketFrame(text));
    }

    @Override
    public void sendBinary(byte[] data) {
        send(new BinaryWebSocketFrame(io.netty.buffer.Unpooled.wrappedBuffer(data)));
    }

    private void send(WebSocketFrame frame) {
        if (closeSent || !channel.isActive()) {
            frame.release();
            return;
        }
        if (channel.eventLoop().inEventLoop()) {
            channel.writeAndFlush(frame, channel.voidPromise()); // the usual case: the app runs on this I/O thread
            return;
        }
        long size = frame.content().readableBytes(); // not in Netty's outbound buffer until the write task runs
        handedOver.addAndGet(size);
        channel.writeAndFlush(frame).addListener(f -> handedOver.addAndGet(-size));
    }

    @Override
    public void close(int code, String reason) {
        if (closeSent) {
            return;
        }
        closeSent = true;
        CloseWebSocketFrame frame = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, reason);
        channel.writeAndFlush(frame);
        // The peer answers with its close frame (channelRead closes then); one that never does is cut off.
        channel.eventLoop().schedule(() -> {
            if (channel.isActive()) {
                channel.close();
            }
        }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (code == 1001 || code == 1009) {
            closeCode = code; // NANO's own reasons for closing, reported if the peer never answers
            closeReason = reason;
        }
    }

    /** Netty's count of bytes written and not yet on the wire (frame headers included), plus those on their way. */
    @Override
    public long bufferedAmount() {
        io.netty.channel.ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return handedOver.get() + (out == null ? 0 : out.totalPendingWriteBytes());
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String extensions() {
        return extensions;
    }

    // ---- from the network (I/O thread) ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame text) {
                listener.onText(text.text());
            } else if (msg instanceof BinaryWebSocketFrame binary) {
                ByteBuf content = binary.content();
                byte[] data = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), data);
                listener.onBinary(data);
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame close) {
                int code = close.statusCode() < 0 ? 1005 : close.statusCode(); // 1005: no status received
                String reason = close.reasonText();
                if (!closeSent) {
                    closeSent = true; // echo it (RFC 6455 §5.5.1), then the connection ends
                    CloseWebSocketFrame echo = close.statusCode() < 0 ? new CloseWebSocketFrame()
                            : new CloseWebSocketFrame(close.statusCode(), reason);
                    ctx.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.close();
                }
                reportClose(code, reason, true);
            }
            // pongs (answers to nothing we sent, or keep-alives) need nothing
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            close(1001, "idle timeout");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException
                || cause instanceof CorruptedWebSocketFrameException c && c.closeStatus().code() == 1009) {
            listener.onError("a message exceeded the limit");
            if (!closeSent) {
                close(1009, "message too big");
            }
            closeCode = 1009;
            closeReason = "message too big";
            ctx.close();
        } else if (cause instanceof CorruptedWebSocketFrameException c) {
            listener.onError("protocol error: " + cause.getMessage());
            closeSent = true; // the decoder sent the close frame
            closeCode = c.closeStatus().code();
            closeReason = c.closeStatus().reasonText();
            ctx.close();
        } else {
            listener.onError(String.valueOf(cause.getMessage()));
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reportClose(closeCode, closeReason, false);
        ctx.fireChannelInactive();
    }

    private void reportClose(int code, String reason, boolean clean) {
        if (!closeReported) {
            closeReported = true;
            listener.onClose(code, reason, clean);
        }
    }
}
