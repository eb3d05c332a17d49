package dev.nano.server;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import dev.nano.apps.App;
import dev.nano.apps.AppRouter;

/**
 * Last in the pipeline: each request (whole, or with a streaming body) either gets NANO's own answer —
 * malformed (400, 414, 431), no app for its host and path (404 with a JSON body), body over the app's
 * limit (413), an expectation it cannot meet (417) — or is handed to its app, after a
 * {@code 100 Continue} when the client waits for one. The I/O threads are the JS workers: the app's
 * context on this thread runs the request at once, and a synchronous answer is written before the
 * next read. The request in progress hears when the connection closes or can take more output.
 */
final class AppDispatchHandler extends SimpleChannelInboundHandler<HttpRequest> {
    private static final Logger LOG = Logger.getLogger(AppDispatchHandler.class.getName());
    private static final String TEXT = "text/plain;charset=UTF-8";

    /** RFC 3986 reg-name characters (unreserved, sub-delims, and '%' of pct-encoded), by ASCII code. */
    private static final boolean[] REG_NAME = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            REG_NAME[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
        }
    }

    private final HttpServer server;
    private HttpPipeliningHandler turns; // ahead in the pipeline: the keep-alive state of the request's turn
    private NettyExchange current; // the latest request dispatched on this connection
    private String lastHostHeader; // the last valid Host header on this connection, and its normalized form
    private String lastHost;
    private boolean reading; // between a read's first message and its channelReadComplete
    private boolean unflushed; // responses written during that read, to flush at its end

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        reading = true;
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        reading = false;
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
        super.channelReadComplete(ctx);
    }

    /**
     * True when a response written now on the I/O thread may wait for the end of the read being handled
     * (it is then flushed with the rest of that read's output: one flush, one system call); false:
     * flush it now. I/O thread only.
     */
    boolean flushAfterRead() {
        if (reading) {
            unflushed = true;
        }
        return reading;
    }

    AppDispatchHandler(HttpServer server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        turns = ctx.pipeline().get(HttpPipeliningHandler.class);
    }

    /** True when the current request's response must close the connection (see HttpPipeliningHandler). I/O thread. */
    boolean closesAfterTurn() {
        return turns != null && turns.closesAfterTurn();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        NettyExchange exchange = current;
        current = null;
        if (exchange != null) {
            exchange.connectionClosed();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionFailures.close(ctx, cause, LOG);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        NettyExchange exchange = current;
        if (exchange != null) {
            exchange.writabilityChanged();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            malformed(ctx, request);
            return;
        }
        String uri = request.uri();
        String hostHeader;
        String target;
        if (uri.startsWith("/")) {
            List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
            if (hosts.size() > 1) {
                badRequest(ctx, request, "Bad Request: more than one Host header\n");
                return;
            }
            hostHeader = hosts.isEmpty() ? null : hosts.get(0);
            target = uri;
        } else if (uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8)) {
            // absolute-form (RFC 9112 §3.2.2): the target's authority is the host
            int start = uri.indexOf("//") + 2;
            int slash = uri.indexOf('/', start);
            hostHeader = uri.substring(start, slash < 0 ? uri.length() : slash);
            target = slash < 0 ? "/" : uri.substring(slash);
        } else if (uri.equals("*")) {
            hostHeader = request.headers().get(HttpHeaderNames.HOST);
            target = "/";
        } else {
            badRequest(ctx, request, "Bad Request: invalid request target\n");
            return;
        }
        if (hostHeader == null || hostHeader.isEmpty()) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                badRequest(ctx, request, "Bad Request: missing Host header\n");
                return;
            }
            hostHeader = localAuthority(ctx);
        }
        String host;
        if (hostHeader.equals(lastHostHeader)) { // a keep-alive connection sends the same Host every time
            host = lastHost;
        } else if (isValidHost(hostHeader)) {
            host = AppRouter.normalizeHost(hostHeader);
            lastHostHeader = hostHeader;
            lastHost = host;
        } else {
            badRequest(ctx, request, "Bad Request: invalid Host header\n");
            return;
        }
        int end = target.length();
        for (int i = 0; i < end; i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
            }
        }
        String path = end == target.length() ? target : target.substring(0, end);
        NettyExchange exchange = new NettyExchange(ctx, this, server, request, "http://" + hostHeader + target, host, path);
        current = exchange;
        dispatch(ctx, request, exchange, host, path);
    }

    private void dispatch(ChannelHandlerContext ctx, HttpRequest request, NettyExchange exchange, String host, String path) {
        for (int attempt = 0; attempt < 3; attempt++) {
            App app = server.registry().router().route(host, path);
            if (app == null) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", "no app is configured for this host and path");
                body.put("host", host);
                body.put("path", path);
                exchange.answer(404, "application/json", HttpServer.toJson(body) + "\n");
                return;
            }
            long declared = HttpUtil.getContentLength(request, -1L);
            boolean expects = request.headers().contains(HttpHeaderNames.EXPECT);
            if (declared > app.maxBodyBytes()
                    || exchange.body() != null && exchange.body().remaining() > app.maxBodyBytes()) {
                if (expects) {
                    exchange.closeAfterResponse(); // the client waits for a 100 that will not come: no body follows
                }
                exchange.answer(413, TEXT, "Content Too Large: the body exceeds the app's limit of "
                        + app.maxBodyBytes() + " bytes\n");
                return;
            }
            if (expects && !HttpUtil.is100ContinueExpected(request) && !request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                // RFC 9110 §10.1.1 (an HTTP/1.0 client's Expect is ignored)
                exchange.closeAfterResponse();
                exchange.answer(417, TEXT, "Expectation Failed: only 'Expect: 100-continue' is supported\n");
                return;
            }
            if (request instanceof StreamedRequest streamed && HttpUtil.is100ContinueExpected(request)
                    && streamed.body().received() == 0) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            }
            exchange.bind(app);
            if (app.dispatch(exchange)) {
                exchange.armDeadline();
                return;
            }
            // that version was retired and has drained meanwhile: the new routing table has its successor
        }
        exchange.answer(503, TEXT, "Service Unavailable: the app is being replaced; try again\n");
    }

    private void malformed(ChannelHandlerContext ctx, HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        NettyExchange exchange = new NettyExchange(ctx, this, server, request, "", "", "");
        exchange.closeAfterResponse();
        if (cause instanceof TooLongHttpHeaderException) {
            exchange.answer(431, TEXT, "Request Header Fields Too Large: the headers exceed "
                    + server.limits().maxHeaderBytes() + " bytes\n");
        } else if (cause instanceof TooLongHttpLineException) {
            exchange.answer(414, TEXT, "URI Too Long: the request line exceeds "
                    + server.limits().maxInitialLineBytes() + " bytes\n");
        } else {
            exchange.answer(400, TEXT, "Bad Request: malformed HTTP request\n");
        }
    }

    private void badRequest(ChannelHandlerContext ctx, HttpRequest request, String message) {
        NettyExchange exchange = new NettyExchange(ctx, this, server, request, "", "", request.uri());
        exchange.closeAfterResponse();
        exchange.answer(400, TEXT, message);
    }

    /** RFC 3986 §3.2.2 host (reg-name or IP-literal) with an optional port; checked by hand, it is on every request. */
    static boolean isValidHost(String h) {
        int i = 0;
        int n = h.length();
        if (n > 0 && h.charAt(0) == '[') {
            int close = h.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (i = 1; i < close; i++) {
                char c = h.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            for (; i < n && h.charAt(i) != ':'; i++) {
                char c = h.charAt(i);
                if (c >= 128 || !REG_NAME[c]) {
                    return false;
                }
            }
        }
        if (i == n) {
            return true;
        }
        if (h.charAt(i) != ':') {
            return false;
        }
        for (i++; i < n; i++) {
            if (h.charAt(i) < '0' || h.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String localAuthority(ChannelHandlerContext ctx) {
        if (ctx.channel().localAddress() instanceof InetSocketAddress a) {
            String ip = a.getAddress().getHostAddress();
            return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + a.getPort();
        }
        return "localhost";
    }
}
