package dev.nano.ext.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import io.netty.handler.codec.http.HttpResponseStatus;

import dev.nano.ext.http.BodySink;
import dev.nano.ext.http.RequestBody;
import dev.nano.loop.CpuAccount;
import dev.nano.loop.EventLoop;

/**
 * One outbound HTTP request of a context and its response, from the host lookup to the last byte of
 * the body. Every method runs on the context's loop thread; the HTTP client's callbacks are posted
 * there. The response body is read only as JS asks for it ({@link #pull()}: one piece per pull), which
 * is the backpressure from the app's ReadableStream to the socket.
 */
final class FetchExchange implements BodySink.Source {
    /** Headers the client sets itself (Fetch's forbidden request headers a server runtime cannot pass on). */
    private static final Set<String> CLIENT_HEADERS = Set.of("host", "content-length", "connection", "keep-alive",
            "transfer-encoding", "upgrade", "expect", "te", "trailer", "http2-settings", "proxy-connection");

    private enum State { WAITING, QUEUED, RESOLVING, SENDING, BODY, DONE }

    final int id;
    /** The request that started this fetch, charged for the tasks that deliver its events (loop thread). */
    CpuAccount account;
    private final FetchOps ops;
    private final EventLoop loop;
    private final String method;
    private final URI uri;
    private final String headerLines;
    private final byte[] body; // null: none or streamed
    private final UploadPublisher upload; // null unless streamed
    private final long connectTimeoutMs;
    private final long timeoutMs;
    private State state = State.WAITING;
    private CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> sent;
    private Flow.Subscription subscription;
    private ContentDecoder decoder;
    private EventLoop.Timer timer;
    private boolean pullWanted; // JS asked for a piece that has not come yet
    private boolean discarding; // reading the rest only to free the connection
    private boolean bodyComplete; // the client delivered the whole body
    private boolean loopHeld; // the loop waits on this exchange (JS awaits headers or a piece)
    private BodySink sink; // the body goes here, not to JS: a response passes it on unread
    private BodySink.Source uploadPipe; // the streamed request body comes from here, not from JS

    FetchExchange(int id, FetchOps ops, EventLoop loop, String method, URI uri, String headerLines, byte[] body,
                  boolean streamed, FetchPolicy policy) {
        this.id = id;
        this.ops = ops;
        this.loop = loop;
        this.method = method;
        this.uri = uri;
        this.headerLines = headerLines;
        this.body = body;
        this.upload = streamed ? new UploadPublisher(this) : null;
        this.connectTimeoutMs = policy.connectTimeoutMsOrDefault();
        this.timeoutMs = policy.timeoutMsOrDefault();
        hold(true);
        timer = loop.schedule(timeoutMs * 1_000_000L, false, this::timedOut);
    }

    String origin() {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    int port() {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    boolean isDone() {
        return state == State.DONE;
    }

    void queued() {
        state = State.QUEUED;
    }

    /** Posts {@code task} to the context's loop (from any thread). */
    void post(Runnable task) {
        loop.execute(task);
    }

    /** Looks the host up (off the loop: lookups block), checks the address rules, then sends. */
    void begin(AddressGuard guard) {
        state = State.RESOLVING;
        String host = uri.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress literal = literal(bare);
        if (literal != null) { // an IP address: nothing to look up, no trip to another thread
            // posted, not run now: this runs inside JS's start op, which must return before any event
            post(() -> {
                if (state == State.RESOLVING) {
                    resolved(guard, bare, new InetAddress[] {literal});
                }
            });
            return;
        }
        CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getAllByName(bare);
            } catch (java.net.UnknownHostException e) {
                return null;
            }
        }, FetchClients.RESOLVER).whenComplete((addresses, error) -> post(() -> {
            if (state != State.RESOLVING) {
                return;
            }
            if (addresses == null || error != null) {
                fail("TypeError", "fetch failed: DNS lookup of '" + bare + "' failed (no such host)");
                return;
            }
            resolved(guard, bare, addresses);
        }));
    }

    private void resolved(AddressGuard guard, String host, InetAddress[] addresses) {
        String refusal = guard.refusal(host, port(), addresses);
        if (refusal != null) {
            fail("TypeError", "fetch to " + origin() + " refused: " + refusal);
            return;
        }
        send();
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }

    private void send() {
        HttpRequest request;
        try {
            request = request();
        } catch (IllegalArgumentException e) { // a header the client will not send (e.g. a value it rejects)
            fail("TypeError", "fetch failed: " + e.getMessage());
            return;
        }
        state = State.SENDING;
        HttpClient client = FetchClients.forConnectTimeout(connectTimeoutMs);
        sent = client.sendAsync(request, HttpResponse.BodyHandlers.ofPublisher());
        sent.whenComplete((response, error) -> post(() -> received(response, error)));
    }

    private HttpRequest request() {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                // h2 through ALPN over TLS; plain http stays HTTP/1.1 (no h2c upgrade dance)
                .version("https".equals(uri.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        boolean userAgent = false;
        if (!headerLines.isEmpty()) {
            String[] parts = headerLines.split("\n", -1);
            for (int i = 0; i + 1 < parts.length; i += 2) {
                String name = parts[i].toLowerCase(java.util.Locale.ROOT);
                if (CLIENT_HEADERS.contains(name)) {
                    continue;
                }
                userAgent |= name.equals("user-agent");
                b.header(name, parts[i + 1]);
            }
        }
        if (!userAgent) {
            b.header("user-agent", "NANO/" + dev.nano.Version.get());
        }
        if (method.equals("GET") && body == null && upload == null) {
            b.GET(); // method("GET", noBody()) would send Content-Length: 0
        } else if (method.equals("HEAD") && body == null && upload == null) {
            b.HEAD();
        } else {
            b.method(method, upload != null ? HttpRequest.BodyPublishers.fromPublisher(upload)
                    : body != null ? HttpRequest.BodyPublishers.ofByteArray(body) : HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private void received(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response, Throwable error) {
        if (state != State.SENDING) {
            if (response != null) {
                response.body().subscribe(new BodySubscriber(true)); // aborted meanwhile: free the connection
            }
            return;
        }
        if (error != null) {
            fail(FetchErrors.isTimeout(error) ? "TimeoutError" : "TypeError",
                    FetchErrors.describe(error, origin(), connectTimeoutMs));
            return;
        }
        state = State.BODY;
        StringBuilder lines = new StringBuilder();
        Map<String, List<String>> headers = response.headers().map();
        decoder = ContentDecoder.forEncoding(single(headers.get("content-encoding")));
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(":")) {
                continue;
            }
            // A decoded body no longer has the coding or length the upstream gave: a proxy that passes
            // these headers on would otherwise send a wrong Content-Length and a false Content-Encoding.
            if (decoder != null && (name.equalsIgnoreCase("content-encoding") || name.equalsIgnoreCase("content-length"))) {
                continue;
            }
            for (String v : e.getValue()) {
                if (!lines.isEmpty()) {
                    lines.append('\n');
                }
                lines.append(name).append('\n').append(v);
            }
        }
        int status = response.statusCode();
        String statusText = response.version() == HttpClient.Version.HTTP_1_1 ? reasonPhrase(status) : "";
        response.body().subscribe(new BodySubscriber(false));
        hold(false);
        ops.emit(id, FetchOps.HEAD, status, statusText, lines.toString());
    }

    private static String single(List<String> values) {
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    /**
     * The client does not expose the reason phrase it read, so HTTP/1.1 responses get the standard
     * one for their code (HTTP/2 has none: "").
     */
    private static String reasonPhrase(int status) {
        String phrase = HttpResponseStatus.valueOf(status).reasonPhrase();
        return phrase.contains("(") ? "" : phrase;
    }

    // ---- request body (streamed) ----

    void uploadWanted() {
        if (state != State.DONE && upload.wantsMore()) {
            if (uploadPipe != null) {
                uploadPipe.resume();
            } else {
                ops.emit(id, FetchOps.NEED, null, null, null);
            }
        }
    }

    /** The streamed request body is read from {@code source} from now on instead of from JS. */
    boolean uploadFrom(RequestBody source) {
        if (upload == null || state == State.DONE || uploadPipe != null) {
            return false;
        }
        source.pipeTo(new UploadSink(), loop);
        uploadWanted();
        return true;
    }

    /** Where a piped request body goes: the upload, a piece each time the HTTP client asks for one. */
    private final class UploadSink implements BodySink {
        @Override
        public void attach(Source source) {
            uploadPipe = source;
        }

        @Override
        public boolean write(byte[] bytes) {
            uploadChunk(ByteBuffer.wrap(bytes));
            return state != State.DONE && upload.wantsMore();
        }

        @Override
        public void end() {
            uploadEnd();
        }

        @Override
        public void fail(String message) {
            FetchExchange.this.fail("TypeError", "fetch failed: " + message);
        }
    }

    void uploadChunk(ByteBuffer bytes) {
        if (upload != null && state != State.DONE) {
            upload.chunk(bytes);
        }
    }

    void uploadEnd() {
        if (upload != null) {
            upload.end();
        }
    }

    void uploadFailed(String message) {
        if (upload != null) {
            upload.fail(message);
        }
    }

    // ---- response body ----

    /** JS wants the next piece of the body. */
    void pull() {
        if (state != State.BODY) {
            return;
        }
        pullWanted = true;
        hold(true);
        if (subscription != null) {
            subscription.request(1);
        }
    }

    /**
     * The body goes to {@code to} from now on instead of to JS, piece by piece as it takes them.
     * False when there is no body to pass on (no answer yet, the exchange ended, the body is being
     * discarded or already goes to a sink).
     */
    boolean pipeTo(BodySink to) {
        if (state != State.BODY || discarding || sink != null) {
            return false;
        }
        sink = to;
        to.attach(this);
        pull();
        return true;
    }

    @Override
    public void resume() {
        pull();
    }

    @Override
    public void cancel() {
        abort();
    }

    /** Reads the rest of the body and drops it, so that the connection can be reused (redirects, HEAD). */
    void discard() {
        if (state != State.BODY) {
            return;
        }
        discarding = true;
        hold(false);
        if (subscription != null) {
            subscription.request(Long.MAX_VALUE);
        }
    }

    private void subscribed(Flow.Subscription s) {
        if (state != State.BODY) {
            s.cancel();
            return;
        }
        subscription = s;
        if (discarding) {
            s.request(Long.MAX_VALUE);
        } else if (pullWanted) {
            s.request(1);
        }
    }

    private void piece(List<ByteBuffer> buffers) {
        if (state != State.BODY || discarding) {
            return;
        }
        int size = 0;
        for (ByteBuffer b : buffers) {
            size += b.remaining();
        }
        ByteBuffer joined = ByteBuffer.allocate(size);
        buffers.forEach(joined::put);
        joined.flip();
        byte[] out;
        if (decoder != null) {
            try {
                out = decoder.decode(joined);
            } catch (RuntimeException e) {
                fail("TypeError", "fetch failed: the response body from " + origin() + " could not be decoded: " + e.getMessage());
                return;
            }
        } else {
            out = joined.array();
        }
        if (out.length == 0) {
            subscription.request(1); // e.g. only a gzip header so far: nothing for JS yet
            return;
        }
        pullWanted = false;
        hold(false);
        if (sink == null) {
            ops.emit(id, FetchOps.CHUNK, ByteBuffer.wrap(out), null, null);
        } else if (sink.write(out)) {
            pull();
        }
    }

    private void bodyEnded() {
        if (state != State.BODY) {
            return;
        }
        bodyComplete = true;
        if (decoder != null && !discarding) {
            byte[] last;
            try {
                last = decoder.finish();
            } catch (RuntimeException e) {
                fail("TypeError", "fetch failed: the response body from " + origin() + " could not be decoded: " + e.getMessage());
                return;
            }
            if (last.length > 0) {
                if (sink == null) {
                    ops.emit(id, FetchOps.CHUNK, ByteBuffer.wrap(last), null, null);
                } else {
                    sink.write(last);
                }
            }
        }
        boolean tell = !discarding;
        finish();
        if (tell && sink != null) {
            sink.end();
        } else if (tell) {
            ops.emit(id, FetchOps.END, null, null, null);
        }
    }

    private void bodyFailed(Throwable error) {
        if (state == State.BODY && !discarding) {
            fail(FetchErrors.isTimeout(error) ? "TimeoutError" : "TypeError",
                    FetchErrors.describe(error, origin(), connectTimeoutMs));
        } else if (state == State.BODY) {
            finish();
        }
    }

    // ---- ends ----

    /** JS gave up (AbortSignal, a cancelled body): stop everything; JS has settled its side. */
    void abort() {
        if (state == State.DONE) {
            return;
        }
        finish();
    }

    private void timedOut() {
        timer = null;
        if (state != State.DONE) {
            fail("TimeoutError", "fetch of " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath()
                    + " timed out after " + timeoutMs + " ms");
        }
    }

    private void fail(String kind, String message) {
        if (state == State.DONE) {
            return;
        }
        finish();
        if (sink != null) {
            sink.fail(message);
        } else {
            ops.emit(id, FetchOps.ERROR, kind, message, null);
        }
    }

    /** Releases everything this exchange holds; runs once. */
    private void finish() {
        State was = state;
        state = State.DONE;
        if (timer != null) {
            loop.cancel(timer);
            timer = null;
        }
        if (sent != null && !sent.isDone()) {
            sent.cancel(true); // aborts the exchange in the client (connect, request or waiting for headers)
        }
        if (subscription != null && !bodyComplete) {
            subscription.cancel(); // also a body being discarded: one that never ends must not be read forever
        }
        if (upload != null) {
            upload.fail("the fetch ended");
        }
        if (uploadPipe != null) {
            uploadPipe.cancel(); // what is left of it is not wanted (read to its end, this frees nothing)
        }
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
        hold(false);
        ops.finished(this, was == State.QUEUED || was == State.WAITING);
    }

    /** Keeps a script's loop running while JS waits on this exchange, not while a body lies unread. */
    private void hold(boolean wait) {
        if (wait && !loopHeld) {
            loopHeld = true;
            loop.ref();
        } else if (!wait && loopHeld) {
            loopHeld = false;
            loop.unref();
        }
    }

    /** The response body's subscriber: every signal goes to the loop thread. */
    private final class BodySubscriber implements Flow.Subscriber<List<ByteBuffer>> {
        private final boolean drop;

        BodySubscriber(boolean drop) {
            this.drop = drop;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            if (drop) {
                s.cancel();
                return;
            }
            post(() -> subscribed(s));
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            post(() -> piece(item));
        }

        @Override
        public void onError(Throwable t) {
            post(() -> bodyFailed(t));
        }

        @Override
        public void onComplete() {
            post(FetchExchange.this::bodyEnded);
        }
    }
}
