package dev.nano.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.Timeout;

import dev.nano.apps.App;
import dev.nano.apps.AppStats;
import dev.nano.ext.http.HttpExchange;

/**
 * One request on a connection, from the moment it is decoded until its response is written: what JS
 * reads (method, URL, headers, body) and how the answer becomes a Netty response. {@link #respond}
 * may be called from any thread (Netty writes are thread-safe); only the first answer counts, so a
 * late answer after a timeout is dropped.
 */
final class NettyExchange implements HttpExchange {
    /** Hop-by-hop headers (RFC 9110 §7.6.1) and framing: NANO decides these, not the app. */
    private static final java.util.Set<String> CONNECTION_HEADERS = java.util.Set.of(
            "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade");

    private final ChannelHandlerContext ctx;
    private final HttpServer server;
    private final String method;
    private final String url;
    private final String host;
    private final String path;
    private final String headerLines;
    private final ByteBuffer body;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile App app;
    private volatile boolean closeAfter;
    private volatile Timeout timeout;
    private volatile Runnable onAbandoned;
    private volatile boolean abandoned;

    NettyExchange(ChannelHandlerContext ctx, HttpServer server, FullHttpRequest request, String url, String host,
                  String path) {
        this.ctx = ctx;
        this.server = server;
        this.method = request.method().name();
        this.url = url;
        this.host = host;
        this.path = path;
        this.headerLines = joinHeaders(request.headers());
        ByteBuf content = request.content();
        if (content.isReadable()) {
            byte[] bytes = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), bytes);
            this.body = ByteBuffer.wrap(bytes);
        } else {
            this.body = null;
        }
        server.requestStarted();
    }

    private static String joinHeaders(HttpHeaders headers) {
        StringBuilder sb = new StringBuilder(256);
        for (Map.Entry<String, String> h : headers) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(h.getKey()).append('\n').append(h.getValue());
        }
        return sb.toString();
    }

    /** The app that takes this request; from now on its answer deadline runs. I/O thread. */
    void bind(App target) {
        this.app = target;
        if (timeout != null) {
            timeout.cancel();
        }
        long millis = target.timeoutMs();
        timeout = server.deadlines().newTimeout(t -> timedOut(target, millis), millis, TimeUnit.MILLISECONDS);
    }

    private void timedOut(App target, long millis) {
        if (answered.get()) {
            return;
        }
        target.stats().error(AppStats.TIMEOUT);
        server.log().error(target.name(), AppStats.TIMEOUT,
                method + " " + path + ": no answer within " + millis + " ms (limits.timeoutMs)");
        respondText(504, "Gateway Timeout: the app did not answer in time\n");
        abandoned = true;
        Runnable abandon = onAbandoned;
        if (abandon != null) {
            abandon.run();
        }
    }

    @Override
    public void onAbandoned(Runnable action) {
        this.onAbandoned = action;
        if (abandoned) { // timed out before the worker got to it; the action is idempotent
            action.run();
        }
    }

    /** Closes the connection after this response (e.g. after a malformed request). */
    void closeAfterResponse() {
        closeAfter = true;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String headerLines() {
        return headerLines;
    }

    @Override
    public ByteBuffer body() {
        return body;
    }

    @Override
    public void respond(int status, String statusText, String headerLines, byte[] bytes) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        Timeout t = timeout;
        if (t != null) {
            t.cancel();
        }
        FullHttpResponse response;
        try {
            response = build(status, statusText, headerLines, bytes);
        } catch (IllegalArgumentException e) { // a header Netty refuses (JS validates them, so: a bug)
            server.log().error(app == null ? "-" : app.name(), AppStats.RESPONSE, "invalid response: " + e.getMessage());
            status = 500;
            bytes = "Internal Server Error\n".getBytes(StandardCharsets.UTF_8);
            response = build(500, "", "content-type\ntext/plain;charset=UTF-8", bytes);
        }
        App target = app;
        if (target != null) {
            target.stats().response(status);
        }
        int finalStatus = status;
        long sent = "HEAD".equals(method) || bytes == null ? 0 : bytes.length;
        var future = ctx.writeAndFlush(response);
        future.addListener(f -> server.observer().completed(target == null ? null : target.name(), method, host, path,
                finalStatus, System.nanoTime() - startNanos, sent));
        if (closeAfter) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The app answered 101 with a WebSocket: the connection leaves HTTP (see {@link WebSocketUpgrade}). */
    @Override
    public dev.nano.ext.websocket.WebSocketConnection acceptWebSocket(String headerLines,
            dev.nano.ext.websocket.WebSocketListener listener) {
        App target = app;
        String requestTarget = url.substring(url.indexOf('/', url.indexOf("//") + 2));
        long maxMessage = target == null ? server.limits().maxBodyBytes() : target.maxBodyBytes();
        if (answered.get()) {
            throw new IllegalStateException("the request was already answered (its deadline passed)");
        }
        var connection = WebSocketUpgrade.accept(ctx.channel(), requestTarget, this.headerLines, headerLines,
                maxMessage, server.limits().idleTimeoutMillis(), listener); // throws if not an upgrade
        answered.set(true);
        Timeout t = timeout;
        if (t != null) {
            t.cancel();
        }
        if (target != null) {
            target.stats().response(101);
        }
        server.observer().completed(target == null ? null : target.name(), method, host, path, 101,
                System.nanoTime() - startNanos, 0);
        return connection;
    }

    private FullHttpResponse build(int status, String statusText, String headerLines, byte[] bytes) {
        HttpResponseStatus st = statusText == null || statusText.isEmpty()
                ? HttpResponseStatus.valueOf(status) : new HttpResponseStatus(status, statusText);
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        String appLength = null;
        if (headerLines != null && !headerLines.isEmpty()) {
            String[] parts = headerLines.split("\n", -1);
            for (int i = 0; i + 1 < parts.length; i += 2) {
                String name = parts[i];
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (lower.equals("content-length")) {
                    appLength = parts[i + 1];
                } else if (!CONNECTION_HEADERS.contains(lower)) {
                    headers.add(name, parts[i + 1]);
                }
            }
        }
        boolean head = "HEAD".equals(method);
        boolean noBody = status == 204 || status == 304 || status < 200;
        int length = bytes == null ? 0 : bytes.length;
        if (status == 304 || head && length == 0 && appLength != null) {
            if (appLength != null) {
                headers.set(HttpHeaderNames.CONTENT_LENGTH, appLength); // the length a GET would have
            }
        } else if (!noBody) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        if (!headers.contains(HttpHeaderNames.DATE)) {
            headers.set(HttpHeaderNames.DATE, HttpDates.now());
        }
        if (server.isDraining() || closeAfter) {
            headers.set(HttpHeaderNames.CONNECTION, "close");
        }
        ByteBuf content = head || noBody || length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, st, content, headers, EmptyHttpHeaders.INSTANCE);
    }

    @Override
    public void done() {
        if (finished.compareAndSet(false, true)) {
            if (!answered.get()) {
                respondText(500, "Internal Server Error\n");
            }
            server.requestFinished();
        }
    }

    /** A response NANO makes itself (routing, limits, malformed requests); the exchange is done. */
    void answer(int status, String contentType, String text) {
        respond(status, "", "content-type\n" + contentType, text.getBytes(StandardCharsets.UTF_8));
        done();
    }
}
