package dev.nano.server;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.timeout.IdleStateHandler;

import dev.nano.ext.websocket.WebSocketConnection;
import dev.nano.ext.websocket.WebSocketListener;

/**
 * Turns an HTTP connection whose request the app answered with status 101 and a WebSocket into a
 * WebSocket connection (RFC 6455 §4.2.2) with Netty's codec: the HTTP handlers leave the pipeline, the
 * handshake response goes out (with permessage-deflate, RFC 7692, when the client offers it, and the
 * subprotocol the app chose), and frames then flow through
 * {@code [deflate] → WebSocketFrameAggregator (fragments; max message) → IdleStateHandler → WebSocketSession}.
 */
final class WebSocketUpgrade {
    /** Response headers that the handshake sets itself, or that make no sense on a 101. */
    private static final java.util.Set<String> NOT_FROM_APP = java.util.Set.of("connection", "upgrade",
            "content-length", "transfer-encoding", "keep-alive", "sec-websocket-accept", "sec-websocket-extensions",
            "sec-websocket-protocol", "content-type");

    private WebSocketUpgrade() {}

    /**
     * @param target the request target (path and query)
     * @param requestHeaderLines the request's headers, {@code name\nvalue...}
     * @param appHeaderLines headers of the app's 101 response
     * @param maxMessageBytes largest message (after joining fragments) the client may send; larger: close 1009
     * @param idleMillis no frame either way for this long: close 1001
     * @throws IllegalStateException when the request is not a WebSocket upgrade
     */
    static WebSocketConnection accept(Channel channel, String target, String requestHeaderLines,
                                      String appHeaderLines, long maxMessageBytes, long idleMillis,
                                      WebSocketListener listener) {
        HttpHeaders request = parse(requestHeaderLines);
        if (!request.containsValue(HttpHeaderNames.UPGRADE, "websocket", true)
                || !request.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)) {
            throw new IllegalStateException("the fetch handler answered 101 with a WebSocket, but the request is not a "
                    + "WebSocket upgrade (it needs 'Upgrade: websocket' and 'Sec-WebSocket-Key')");
        }
        HttpHeaders app = parse(appHeaderLines);
        String subprotocols = app.get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        int maxFrame = (int) Math.min(Integer.MAX_VALUE, maxMessageBytes);
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrame)
                .allowExtensions(true)
                .closeOnProtocolViolation(true)
                .build();
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target,
                Unpooled.EMPTY_BUFFER, request, EmptyHttpHeaders.INSTANCE);
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + request.get(HttpHeaderNames.HOST, "localhost") + target, subprotocols, decoder)
                .newHandshaker(req);
        if (handshaker == null) {
            throw new IllegalStateException("the client asked for WebSocket version "
                    + request.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION) + "; NANO speaks version 13");
        }
        HttpHeaders response = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        for (Map.Entry<String, String> h : app) {
            if (!NOT_FROM_APP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                response.add(h.getKey(), h.getValue());
            }
        }
        WebSocketServerExtension deflate = negotiateDeflate(request.get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS));
        String extensions = "";
        if (deflate != null) {
            extensions = format(deflate.newReponseData());
            response.set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, extensions);
        }

        ChannelPipeline p = channel.pipeline();
        // The HTTP/1.1 handlers go (the handshaker itself swaps the codec and the aggregator).
        for (Map.Entry<String, ChannelHandler> h : p.toMap().entrySet()) {
            ChannelHandler handler = h.getValue();
            if (!(handler instanceof HttpServerCodec || handler instanceof HttpRequestDecoder
                    || handler instanceof HttpResponseEncoder || handler instanceof HttpObjectAggregator)) {
                p.remove(h.getKey());
            }
        }
        WebSocketSession session = new WebSocketSession(channel, listener, extensions);
        if (deflate != null) {
            p.addLast("wsDeflateEncoder", deflate.newExtensionEncoder());
            p.addLast("wsDeflateDecoder", deflate.newExtensionDecoder());
        }
        p.addLast("wsAggregator", new WebSocketFrameAggregator(maxFrame));
        p.addLast("wsIdle", new IdleStateHandler(0, 0, idleMillis, java.util.concurrent.TimeUnit.MILLISECONDS));
        p.addLast("wsSession", session);
        handshaker.handshake(channel, req, response, channel.newPromise()).addListener(f -> {
            if (!f.isSuccess()) {
                channel.close();
            }
        });
        session.opened(handshaker.selectedSubprotocol());
        return session;
    }

    private static HttpHeaders parse(String lines) {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        if (lines != null && !lines.isEmpty()) {
            String[] parts = lines.split("\n", -1);
            for (int i = 0; i + 1 < parts.length; i += 2) {
                headers.add(parts[i], parts[i + 1]);
            }
        }
        return headers;
    }

    /** RFC 7692 §5: the first permessage-deflate offer NANO can accept, or null. */
    private static WebSocketServerExtension negotiateDeflate(String offered) {
        if (offered == null || offered.isBlank()) {
            return null;
        }
        PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker();
        List<WebSocketExtensionData> offers = WebSocketExtensionUtil.extractExtensions(offered);
        for (WebSocketExtensionData offer : offers) {
            WebSocketServerExtension accepted = handshaker.handshakeExtension(offer);
            if (accepted != null) {
                return accepted;
            }
        }
        return null;
    }

    private static String format(WebSocketExtensionData data) {
        StringBuilder sb = new StringBuilder(data.name());
        for (Map.Entry<String, String> param : data.parameters().entrySet()) {
            sb.append("; ").append(param.getKey());
            if (param.getValue() != null) {
                sb.append('=').append(param.getValue());
            }
        }
        return sb.toString();
    }
}
