package dev.nano.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.Timeout;

import dev.nano.apps.App;
import dev.nano.apps.AppStats;
import dev.nano.ext.http.HttpExchange;
import dev.nano.ext.http.RequestBody;

/**
 * One request on a connection, from the moment it is decoded until its response is written: what JS
 * reads (method, URL, headers, body) and how the answer becomes Netty responses, whole or streamed.
 * Called from any thread (Netty writes are thread-safe); only the first answer counts, so a late
 * answer after a timeout is dropped. The answer deadline covers the response head: a streamed body
 * that keeps going is cut only by the connection's idle timeout ({@link HttpPipeliningHandler}).
 */
final class NettyExchange implements HttpExchange {
    /** Hop-by-hop headers (RFC 9110 §7.6.1) and framing: NANO decides these, not the app. */
    static final String[] CONNECTION_HEADERS = {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"};
    /**
     * Response headers, unchecked by Netty: NANO's own names and values are constants, and {@link #headers}
     * checks an app's as Netty would (names are tokens; values have no control character but tab), once per
     * response rather than Netty's check of every name and value, constants included.
     */
    private static final DefaultHttpHeadersFactory RESPONSE_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    /** Content-Length values up to this are made once, as AsciiStrings (copied to the socket as they are). */
    private static final AsciiString[] SMALL_LENGTHS = new AsciiString[1024];
    /** The Content-Type value last sent: most apps send one or two, and the next response likely repeats it. */
    private static ContentType lastContentType = new ContentType("", AsciiString.EMPTY_STRING);

    private record ContentType(String text, AsciiString ascii) {}

    /** The header lines whose values were last checked (see {@link #invalidValueChar}). */
    private static String lastCheckedLines = "";
    private static final String CONTENT_TYPE = "content-type";
    private static final String CONTENT_LENGTH = "content-length";
    private static final VarHandle ANSWERED;
    private static final VarHandle FINISHED;
    private static final VarHandle AWAITING_WRITABLE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ANSWERED = lookup.findVarHandle(NettyExchange.class, "answered", boolean.class);
            FINISHED = lookup.findVarHandle(NettyExchange.class, "finished", boolean.class);
            AWAITING_WRITABLE = lookup.findVarHandle(NettyExchange.class, "awaitingWritable", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ChannelHandlerContext ctx;
    private final AppDispatchHandler dispatcher;
    private final HttpServer server;
    private final String method;
    private final String url;
    private final String host;
    private final String path;
    private final String headerLines;
    private final ByteBuffer body;
    private final StreamedBody streamedBody;
    private final boolean http10;
    private final long startNanos = System.nanoTime();
    // flags set once from any thread (compareAndSet through the VarHandles below): plain fields, as an
    // AtomicBoolean each would be three more objects per request
    private volatile boolean answered;
    private volatile boolean finished;
    private volatile boolean awaitingWritable;
    private volatile App app;
    private volatile boolean closeAfter;
    private volatile Timeout timeout;
    private volatile Events events;
    private volatile boolean abandoned;
    private volatile boolean gone;
    /** The whole response has been handed to Netty: a disconnect from now on is nobody's concern. */
    private volatile boolean complete;
    // a streamed response (loop thread of the JS context)
    private volatile boolean streaming;
    private boolean headOnly;
    private int streamStatus;
    private long declaredLength = -1;
    private long sent;

    NettyExchange(ChannelHandlerContext ctx, AppDispatchHandler dispatcher, HttpServer server, HttpRequest request,
                  String url, String host, String path) {
        this.ctx = ctx;
        this.dispatcher = dispatcher;
        this.server = server;
        this.method = request.method().name();
        this.url = url;
        this.host = host;
        this.path = path;
        this.headerLines = joinHeaders(request.headers());
        this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        ByteBuffer whole = null;
        if (request instanceof FullHttpRequest full && full.content().isReadable()) {
            ByteBuf content = full.content();
            byte[] bytes = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), bytes);
            whole = ByteBuffer.wrap(bytes);
        }
        this.body = whole;
        this.streamedBody = request instanceof StreamedRequest s ? s.body() : null;
        server.requestStarted();
    }

    private static String joinHeaders(HttpHeaders headers) {
        int length = 0; // sized exactly: one buffer, copied once into the String
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            length += h.getKey().length() + h.getValue().length() + 2;
        }
        StringBuilder sb = new StringBuilder(length);
        // the CharSequence view: no String made per name and value (the decoder holds AsciiStrings)
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(h.getKey()).append('\n').append(h.getValue());
        }
        return sb.toString();
    }

    /** The app that takes this request; its answer deadline counts from the request's arrival. I/O thread. */
    void bind(App target) {
        this.app = target;
        if (streamedBody != null) {
            streamedBody.limit(target.maxBodyBytes(), () -> bodyOverLimit(target.maxBodyBytes()));
        }
    }

    /**
     * The app has taken the request: unless it answered already (a synchronous handler, the usual case,
     * which then needs no timer at all), the rest of its answer deadline starts running. I/O thread.
     */
    void armDeadline() {
        if (answered) {
            return;
        }
        App target = app;
        long millis = target.timeoutMs();
        long left = TimeUnit.MILLISECONDS.toNanos(millis) - (System.nanoTime() - startNanos);
        timeout = server.deadlines().newTimeout(t -> timedOut(target, millis), Math.max(left, 0), TimeUnit.NANOSECONDS);
        if (answered) { // meanwhile, on another thread
            cancelTimeout();
        }
    }

    private void timedOut(App target, long millis) {
        if (answered) {
            return;
        }
        target.stats().error(AppStats.TIMEOUT);
        server.log().error(target.name(), AppStats.TIMEOUT,
                method + " " + path + ": no answer within " + millis + " ms (limits.timeoutMs)");
        respondText(504, "Gateway Timeout: the app did not answer in time\n");
        abandoned = true;
        Events e = events;
        if (e != null) {
            e.abandoned();
        }
    }

    /** A streamed body went over the app's limit: 413 if the app has not answered, else the response is cut. */
    private void bodyOverLimit(long limit) {
        if (!answered) {
            respondText(413, "Content Too Large: the body exceeds the app's limit of " + limit + " bytes\n");
        } else if (streaming) {
            abortResponse();
        }
    }

    @Override
    public void onEvents(Events listener) {
        this.events = listener;
        if (abandoned) { // timed out before the worker got to it
            listener.abandoned();
        } else if (gone && !complete) {
            listener.clientGone();
        }
    }

    /** The connection closed. I/O thread. */
    void connectionClosed() {
        if (gone) {
            return;
        }
        gone = true;
        if (streamedBody != null) {
            streamedBody.fail("the client closed the connection before the body was complete");
        }
        Events e = events;
        if (e != null && !complete) {
            e.clientGone();
        }
    }

    /** The channel's writability changed. I/O thread. */
    void writabilityChanged() {
        if (ctx.channel().isWritable() && AWAITING_WRITABLE.compareAndSet(this, true, false)) {
            Events e = events;
            if (e != null) {
                e.writable();
            }
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
    public RequestBody streamedBody() {
        return streamedBody;
    }

    /** True while part of a streamed request body has not arrived: the connection cannot carry another request. */
    private boolean bodyUnread() {
        return streamedBody != null && !streamedBody.isComplete();
    }

    // ---- a whole response ----

    @Override
    public void respond(int status, String statusText, String headerLines, byte[] bytes) {
        if (!ANSWERED.compareAndSet(this, false, true)) {
            return;
        }
        cancelTimeout();
        long now = System.nanoTime(); // the response's Date and the request's latency
        Object response;
        try {
            response = encode(status, statusText, headerLines, bytes, now);
        } catch (IllegalArgumentException e) { // a header Netty refuses (JS validates them, so: a bug)
            invalidHead(e);
            status = 500;
            bytes = "Internal Server Error\n".getBytes(StandardCharsets.UTF_8);
            HttpHeaders headers = newHeaders();
            headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=UTF-8");
            response = build(500, "", headers, null, bytes);
        }
        App target = app;
        if (target != null) {
            target.stats().response(status);
        }
        long sentBytes = "HEAD".equals(method) || bytes == null ? 0 : bytes.length;
        complete = true;
        finish(response, status, sentBytes, now);
    }

    /**
     * The response as an {@link EncodedResponse} when it is written on the connection's own thread (the
     * usual case, where its turn's keep-alive state can be read), else as Netty's response object.
     */
    private Object encode(int status, String statusText, String headerLines, byte[] bytes, long now) {
        if (ctx.executor().inEventLoop()) {
            EncodedResponse encoded = EncodedResponse.encode(ctx.alloc(), status, statusText, headerLines, bytes,
                    "HEAD".equals(method), closeAfter || server.isDraining() || dispatcher.closesAfterTurn(), now);
            if (encoded != null) {
                return encoded;
            }
        }
        HttpHeaders headers = newHeaders();
        String appLength = headers(headerLines, headers);
        return build(status, statusText, headers, appLength, bytes);
    }

    /**
     * Writes a response's last piece. Only a response that must be followed up (close, drop the unread
     * body) pays for a promise and its listener; the access log and metrics hear at once. Written on the
     * I/O thread while the connection's read is being handled, it is flushed when that read is done, with
     * whatever else that read produced (pipelined requests: one flush for them all).
     */
    private void finish(Object last, int status, long sentBytes, long now) {
        boolean unreadBody = !closeAfter && bodyUnread();
        ChannelPromise promise = closeAfter || unreadBody ? ctx.newPromise() : ctx.voidPromise();
        if (ctx.executor().inEventLoop() && dispatcher.flushAfterRead()) {
            ctx.write(last, promise);
        } else {
            ctx.writeAndFlush(last, promise);
        }
        if (closeAfter) {
            promise.addListener(ChannelFutureListener.CLOSE);
        } else if (unreadBody) { // nobody reads the rest of the request body: drop it, or close if it takes long
            promise.addListener(f -> streamedBody.drainAfterResponse());
        }
        completed(status, sentBytes, now);
    }

    /** {@code now}: System.nanoTime() when the response was complete. */
    private void completed(int status, long sentBytes, long now) {
        App target = app;
        server.observer().completed(target == null ? null : target.name(), method, host, path, status,
                now - startNanos, sentBytes);
    }

    private void invalidHead(IllegalArgumentException e) {
        server.log().error(app == null ? "-" : app.name(), AppStats.RESPONSE, "invalid response: " + e.getMessage());
    }

    /** The app answered 101 with a WebSocket: the connection leaves HTTP (see {@link WebSocketUpgrade}). */
    @Override
    public dev.nano.ext.websocket.WebSocketConnection acceptWebSocket(String headerLines,
            dev.nano.ext.websocket.WebSocketListener listener) {
        App target = app;
        String requestTarget = url.substring(url.indexOf('/', url.indexOf("//") + 2));
        long maxMessage = target == null ? server.limits().maxBodyBytes() : target.maxBodyBytes();
        if (answered) {
            throw new IllegalStateException("the request was already answered (its deadline passed)");
        }
        var connection = WebSocketUpgrade.accept(ctx.channel(), requestTarget, this.headerLines, headerLines,
                maxMessage, server.limits().idleTimeoutMillis(), listener); // throws if not an upgrade
        answered = true;
        cancelTimeout();
        if (target != null) {
            target.stats().response(101);
        }
        completed(101, 0, System.nanoTime());
        return connection;
    }

    private void cancelTimeout() {
        Timeout t = timeout;
        if (t != null) {
            t.cancel();
        }
    }

    static HttpHeaders newHeaders() {
        return RESPONSE_HEADERS.newHeaders();
    }

    /**
     * Adds the app's headers to {@code headers}, without the hop-by-hop ones and without Content-Length,
     * which it answers (the last one, or null) for the caller to judge. Read in place (no split): this
     * runs for every response.
     */
    static String headers(String headerLines, HttpHeaders headers) {
        String appLength = null;
        if (headerLines == null) {
            return null;
        }
        int n = headerLines.length();
        checkValues(headerLines);
        int start = 0;
        while (start < n) {
            int mid = headerLines.indexOf('\n', start); // between the name and its value
            if (mid < 0) {
                break; // a name without a value: nothing to send
            }
            int end = headerLines.indexOf('\n', mid + 1);
            if (end < 0) {
                end = n;
            }
            if (end > mid + 1 && (headerLines.charAt(mid + 1) == ' ' || headerLines.charAt(mid + 1) == '\t')) {
                throw new IllegalArgumentException("a header value starts with whitespace"); // as Netty checks
            }
            int length = mid - start;
            if (length == CONTENT_TYPE.length() && headerLines.regionMatches(true, start, CONTENT_TYPE, 0, length)) {
                // the usual one: Netty's own name, and most likely the value of the last response
                headers.add(HttpHeaderNames.CONTENT_TYPE, contentType(headerLines, mid + 1, end));
                start = end + 1;
                continue;
            }
            String value = headerLines.substring(mid + 1, end);
            if (length == CONTENT_LENGTH.length()
                    && headerLines.regionMatches(true, start, CONTENT_LENGTH, 0, length)) {
                appLength = value;
            } else if (!isConnectionHeader(headerLines, start, length)) {
                String name = headerLines.substring(start, mid);
                if (name.isEmpty() || HttpHeaderValidationUtil.validateToken(name) != -1) {
                    throw new IllegalArgumentException("a header name is not a token: '" + name + "'");
                }
                headers.add(name, value);
            }
            start = end + 1;
        }
        return appLength;
    }

    /** Throws when a header value holds a character no value may hold (see {@link #invalidValueChar}). */
    static void checkValues(String headerLines) {
        if (!headerLines.equals(lastCheckedLines)) { // an app mostly sends the same headers: one compare
            int bad = invalidValueChar(headerLines);
            if (bad >= 0) {
                throw new IllegalArgumentException("a header value has the control character 0x"
                        + Integer.toHexString(headerLines.charAt(bad)));
            }
            lastCheckedLines = headerLines; // racy but harmless: any value it holds was checked
        }
    }

    private static AsciiString contentType(String lines, int start, int end) {
        ContentType last = lastContentType;
        int length = end - start;
        if (last.text.length() == length && lines.regionMatches(start, last.text, 0, length)) {
            return last.ascii;
        }
        String text = lines.substring(start, end);
        last = new ContentType(text, new AsciiString(text)); // chars as bytes, as Netty writes a String value
        lastContentType = last; // racy but whole: a record of final fields
        return last.ascii;
    }

    /**
     * The index of the first character no header value may hold (a control character other than tab, and
     * DEL: RFC 9110 §5.5, as Netty checks), or -1; the newlines between names and values are skipped.
     */
    static int invalidValueChar(String lines) {
        for (int i = 0, n = lines.length(); i < n; i++) {
            char c = lines.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' || c == 0x7f) {
                return i;
            }
        }
        return -1;
    }

    private static CharSequence lengthValue(int length) {
        if (length >= SMALL_LENGTHS.length) {
            return Integer.toString(length);
        }
        AsciiString v = SMALL_LENGTHS[length];
        if (v == null) {
            v = AsciiString.of(Integer.toString(length));
            SMALL_LENGTHS[length] = v; // racy but harmless: equal values
        }
        return v;
    }

    private static boolean isConnectionHeader(String lines, int start, int length) {
        for (String name : CONNECTION_HEADERS) {
            if (name.length() == length && lines.regionMatches(true, start, name, 0, length)) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponseStatus status(int status, String statusText) {
        return statusText == null || statusText.isEmpty()
                ? Statuses.of(status) : new HttpResponseStatus(status, statusText);
    }

    private static boolean noBody(int status) {
        return status == 204 || status == 304 || status < 200;
    }

    private void commonHeaders(HttpHeaders headers) {
        commonHeaders(headers, server.isDraining() || closeAfter);
    }

    private static void commonHeaders(HttpHeaders headers, boolean close) {
        if (!headers.contains(HttpHeaderNames.DATE)) {
            headers.set(HttpHeaderNames.DATE, HttpDates.now());
        }
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    private FullHttpResponse build(int status, String statusText, HttpHeaders headers, String appLength, byte[] bytes) {
        return build(status, statusText, headers, appLength, bytes, "HEAD".equals(method), server.isDraining() || closeAfter);
    }

    /** A whole response for Netty's encoder; {@code close}: it says Connection: close. */
    static FullHttpResponse build(int status, String statusText, HttpHeaders headers, String appLength, byte[] bytes,
                                  boolean head, boolean close) {
        int length = bytes == null ? 0 : bytes.length;
        if (status == 304 || head && length == 0 && appLength != null) {
            if (appLength != null) {
                headers.set(HttpHeaderNames.CONTENT_LENGTH, appLength); // the length a GET would have
            }
        } else if (!noBody(status)) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, lengthValue(length));
        }
        commonHeaders(headers, close);
        ByteBuf content = head || noBody(status) || length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status(status, statusText), content, headers,
                EmptyHttpHeaders.INSTANCE);
    }

    // ---- a streamed response ----

    @Override
    public StreamStart respondStreaming(int status, String statusText, String headerLines) {
        if (gone || !ANSWERED.compareAndSet(this, false, true)) {
            return StreamStart.REFUSED;
        }
        cancelTimeout();
        HttpHeaders headers;
        try {
            headers = newHeaders();
            String appLength = headers(headerLines, headers);
            if (appLength != null) {
                declaredLength = Long.parseLong(appLength.trim());
                headers.set(HttpHeaderNames.CONTENT_LENGTH, appLength);
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            invalidHead(e);
            answered = false;
            respondText(500, "Internal Server Error\n");
            return StreamStart.REFUSED;
        }
        headOnly = "HEAD".equals(method) || noBody(status);
        if (noBody(status)) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            declaredLength = -1;
        } else if (declaredLength < 0) {
            if (http10) {
                closeAfter = true; // an HTTP/1.0 client knows no chunks: the body ends when the connection does
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        commonHeaders(headers);
        App target = app;
        if (target != null) {
            target.stats().response(status);
        }
        streamStatus = status;
        streaming = true;
        HttpResponseStatus head = status(status, statusText);
        ctx.writeAndFlush("HEAD".equals(method) ? new ResponseEncoder.HeadResponse(head, headers)
                : new DefaultHttpResponse(HttpVersion.HTTP_1_1, head, headers));
        return headOnly ? StreamStart.NO_BODY : StreamStart.BODY;
    }

    @Override
    public boolean writeChunk(byte[] bytes) {
        if (!streaming || gone) {
            return false;
        }
        if (bytes.length == 0) {
            return true;
        }
        if (declaredLength >= 0 && sent + bytes.length > declaredLength) {
            streamFailed("the body stream produced more than its Content-Length of " + declaredLength + " bytes");
            return false;
        }
        sent += bytes.length;
        if (!headOnly) {
            ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)), ctx.voidPromise());
        }
        if (ctx.channel().isWritable()) {
            return true;
        }
        ctx.flush(); // the outbound buffer is full: send it, and wait until the client took enough
        awaitingWritable = true;
        return ctx.channel().isWritable() && AWAITING_WRITABLE.compareAndSet(this, true, false);
    }

    @Override
    public void flush() {
        if (streaming) {
            ctx.flush();
        }
    }

    @Override
    public void endResponse() {
        if (!streaming) {
            return;
        }
        if (declaredLength >= 0 && sent != declaredLength && !headOnly) {
            streamFailed("the body stream ended after " + sent + " bytes, short of its Content-Length of "
                    + declaredLength);
            return;
        }
        streaming = false;
        complete = true;
        finish(LastHttpContent.EMPTY_LAST_CONTENT, streamStatus, headOnly ? 0 : sent, System.nanoTime());
    }

    private void streamFailed(String message) {
        server.log().error(app == null ? "-" : app.name(), AppStats.RESPONSE, method + " " + path + ": " + message
                + "; the connection was closed");
        abortResponse();
    }

    @Override
    public void abortResponse() {
        if (!streaming) {
            return;
        }
        streaming = false;
        complete = true;
        ctx.channel().close(); // no last chunk: the client sees the body cut
        completed(streamStatus, sent, System.nanoTime());
    }

    @Override
    public void done() {
        if (FINISHED.compareAndSet(this, false, true)) {
            if (!answered) {
                respondText(500, "Internal Server Error\n");
            } else if (streaming) { // never ended (cannot happen through HttpOps): do not leave the client waiting
                abortResponse();
            }
            if (streamedBody != null) {
                streamedBody.discard();
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
