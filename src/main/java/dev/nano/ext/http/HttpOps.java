package dev.nano.ext.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.netty.util.collection.IntObjectHashMap;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsErrors;
import dev.nano.engine.JsRuntime;
import dev.nano.loop.EventLoop;

/**
 * Request dispatch for one context (ext/http/00_dispatch.js): hands {@link HttpExchange}s to JS under
 * integer ids and takes the answers back, whole or streamed. What the server reports later (body
 * bytes, the client gone, room to write) reaches JS through one event function, always posted to the
 * context's loop. Every exported method runs on the context's loop thread.
 */
public final class HttpOps {
    // Event kinds passed to 00_dispatch.js's onEvent(id, kind, payload); must match EVENT_* there.
    static final int BODY_CHUNK = 1; // payload: a ByteBuffer
    static final int BODY_END = 2;
    static final int BODY_ERROR = 3; // payload: the message
    static final int WRITABLE = 4;
    static final int CLIENT_GONE = 5;
    static final int ABANDONED = 6;
    static final int PIPE_END = 7; // a response passed on by a BodySink is over (complete or cut)

    // What respondStart answers; must match START_* in 00_dispatch.js.
    static final int START_REFUSED = 0;
    static final int START_BODY = 1;
    static final int START_NO_BODY = 2;

    /** What the owner of the context does with an app's mistakes: log them for the operator. */
    public interface Failures {
        /** The handler threw or its promise rejected; {@code formatted} has the stack. */
        void handlerFailed(HttpExchange exchange, String formatted);

        /** The handler answered with something that is not a Response. */
        void invalidResponse(HttpExchange exchange, String message);
    }

    /** One request handed to JS: it hears the server's events for that request and posts them to the loop. */
    private final class Open implements HttpExchange.Events, RequestBody.Reader {
        final int id;
        final HttpExchange exchange;
        volatile Pipe pipe; // the response body comes from Java, not JS (set on the loop, read by the server)

        Open(int id, HttpExchange exchange) {
            this.id = id;
            this.exchange = exchange;
        }

        @Override
        public void abandoned() {
            loop.execute(() -> abandon(id));
        }

        @Override
        public void clientGone() {
            Pipe p = pipe;
            if (p != null) {
                loop.execute(p::cancel);
            }
            post(CLIENT_GONE, null);
        }

        @Override
        public void writable() {
            Pipe p = pipe;
            if (p != null) {
                loop.execute(p::resume);
            } else {
                post(WRITABLE, null);
            }
        }

        @Override
        public void chunk(ByteBuffer bytes) {
            post(BODY_CHUNK, bytes);
        }

        @Override
        public void end() {
            post(BODY_END, null);
        }

        @Override
        public void error(String message) {
            post(BODY_ERROR, message);
        }

        /** At once when the server calls from the loop's thread between tasks (the I/O thread), else queued. */
        private void post(int kind, Object payload) {
            loop.executeNow(() -> {
                if (open.get(id) == this) {
                    // body bytes moving (and the client's state): limited per task, not charged to the
                    // request, so that streaming a large body through JS is not cut off by cpuMs
                    runtime.runTask(() -> event.executeVoid(id, kind, payload));
                }
            });
        }
    }

    /** A streamed response whose body a {@link BodySink.Source} writes: each call on the loop thread. */
    private final class Pipe implements BodySink {
        private final Open entry;
        private Source source;
        private boolean over;
        private boolean flushQueued;

        Pipe(Open entry) {
            this.entry = entry;
        }

        @Override
        public void attach(Source source) {
            this.source = source;
        }

        @Override
        public boolean write(byte[] bytes) {
            if (over) {
                return false;
            }
            if (!flushQueued) {
                // Sent once the pieces already queued on the loop are written: a slow upstream's
                // pieces (server-sent events) reach the client at once, a fast one's go out together.
                flushQueued = true;
                loop.execute(this::flush);
            }
            return entry.exchange.writeChunk(bytes);
        }

        private void flush() {
            flushQueued = false;
            if (!over) {
                entry.exchange.flush();
            }
        }

        @Override
        public void end() {
            if (!over) {
                over = true;
                entry.exchange.endResponse();
                entry.post(PIPE_END, null);
            }
        }

        @Override
        public void fail(String message) {
            if (!over) {
                over = true;
                failures.handlerFailed(entry.exchange, "the response body failed, so the response was cut off: " + message);
                entry.exchange.abortResponse();
                entry.post(PIPE_END, null);
            }
        }

        void resume() {
            if (!over && source != null) {
                source.resume();
            }
        }

        void cancel() {
            if (!over) {
                over = true;
                if (source != null) {
                    source.cancel();
                }
            }
        }
    }

    private final JsRuntime runtime;
    private final EventLoop loop;
    private String webSocketError = "";
    private final IntObjectHashMap<Open> open = new IntObjectHashMap<>(); // by id, with no boxing per request
    private int lastId;
    private Value install;
    private Value dispatch;
    private Value event;
    private Value setEnv;
    private Failures failures;

    public HttpOps(JsRuntime runtime) {
        this.runtime = runtime;
        this.loop = runtime.loop();
    }

    /** The ops object of {@code runtime}'s http extension. */
    public static HttpOps of(JsRuntime runtime) {
        return runtime.internal().getMember("httpOps").asHostObject();
    }

    /** Called once by 00_dispatch.js at bootstrap with its entry points. */
    @Export
    public void register(Value installFn, Value dispatchFn, Value eventFn, Value setEnvFn) {
        this.install = installFn;
        this.dispatch = dispatchFn;
        this.event = eventFn;
        this.setEnv = setEnvFn;
    }

    /** The app's env (a JSON object), before its module is evaluated, for its top-level code. */
    public void useEnv(String envJson) {
        setEnv.executeVoid(envJson);
    }

    public void onFailures(Failures failures) {
        this.failures = failures;
    }

    /**
     * Makes the evaluated module's handler the one requests go to.
     *
     * @param envJson the app's env as a JSON object
     * @return null when the app has a fetch handler, else why not
     */
    public String install(Value namespace, String envJson) {
        String error = install.execute(namespace, envJson).asString();
        return error.isEmpty() ? null : error;
    }

    /** Hands one request to JS. The handler's answer and {@link HttpExchange#done()} come later. */
    public void dispatch(HttpExchange exchange) {
        int id = ++lastId;
        Open entry = new Open(id, exchange);
        open.put(id, entry);
        exchange.onEvents(entry);
        try {
            dispatch.executeVoid(id, exchange.method(), exchange.url(), exchange.headerLines(), exchange.body(),
                    exchange.streamedBody() != null);
        } catch (PolyglotException e) {
            if (e.isResourceExhausted()) {
                throw e; // the heap ran out: the runtime replaces the context and answers its requests 503
            }
            // Only NANO's own code runs outside the JS try/catch; still, never leave a request hanging.
            if (open.remove(id) != null) {
                failures.handlerFailed(exchange, JsErrors.format(e));
                exchange.done();
            }
            if (e.isCancelled() || e.isInterrupted()) {
                throw e;
            }
        }
    }

    /** The server gave up on request {@code id}: whatever JS answers later is dropped. */
    private void abandon(int id) {
        Open entry = open.remove(id);
        if (entry != null) {
            if (entry.pipe != null) {
                entry.pipe.cancel();
            }
            runtime.runTask(() -> event.executeVoid(id, ABANDONED, null)); // JS forgets it and aborts its signal
            entry.exchange.done();
        }
    }

    private HttpExchange exchange(int id) {
        Open entry = open.get(id);
        return entry == null ? null : entry.exchange;
    }

    /** Requests ever handed to JS (the per-request budget of outbound fetch() grows with it). */
    public int dispatchedCount() {
        return lastId;
    }

    /** Requests handed to JS whose work has not finished yet. */
    public int openCount() {
        return open.size();
    }

    /** A whole response; {@code last}: the request has no work left, so it is {@link #done} as well. */
    @Export
    public void respondText(int id, int status, String statusText, String headerLines, String body, boolean last) {
        Open entry = last ? open.remove(id) : open.get(id);
        if (entry != null) {
            entry.exchange.respond(status, statusText, headerLines, body.getBytes(StandardCharsets.UTF_8));
            if (last) {
                entry.exchange.done();
            }
        }
    }

    /**
     * As {@link #respondText}; {@code buffer} is an ArrayBuffer (or null: no body); only bytes
     * [offset, offset+length) are sent.
     */
    @Export
    public void respondBytes(int id, int status, String statusText, String headerLines, Value buffer, int offset, int length,
                             boolean last) {
        Open entry = last ? open.remove(id) : open.get(id);
        if (entry == null) {
            return;
        }
        byte[] body = null;
        if (buffer != null && !buffer.isNull() && length > 0) {
            body = new byte[length];
            buffer.readBuffer(offset, body, 0, length);
        }
        entry.exchange.respond(status, statusText, headerLines, body);
        if (last) {
            entry.exchange.done();
        }
    }

    /**
     * The handler answered 101 with a WebSocket: upgrades the connection (ext/websocket).
     *
     * @return the socket's id in the context's WebSocket ops; 0 when the request cannot be upgraded
     *     ({@link #webSocketError()} says why; nothing was answered yet)
     */
    @Export
    public int respondWebSocket(int id, String headerLines) {
        HttpExchange exchange = exchange(id);
        if (exchange == null) {
            webSocketError = "the request was abandoned";
            return 0;
        }
        try {
            return dev.nano.ext.websocket.WebSocketOps.of(runtime).accept(exchange, headerLines);
        } catch (IllegalStateException e) {
            webSocketError = e.getMessage();
            return 0;
        }
    }

    @Export
    public String webSocketError() {
        return webSocketError;
    }

    /** The handler threw or rejected with {@code error}; {@code description} is JS's view of a non-Error. */
    @Export
    public void fail(int id, Value error, String description) {
        HttpExchange exchange = exchange(id);
        if (exchange != null) {
            failures.handlerFailed(exchange, format(error, description));
        }
    }

    @Export
    public void invalidResponse(int id, String message) {
        HttpExchange exchange = exchange(id);
        if (exchange != null) {
            failures.invalidResponse(exchange, message);
        }
    }

    // ---- a streamed response ----

    /** Sends the head of a response whose body is a stream; answers START_*. */
    @Export
    public int respondStart(int id, int status, String statusText, String headerLines) {
        HttpExchange exchange = exchange(id);
        if (exchange == null) {
            return START_REFUSED;
        }
        return switch (exchange.respondStreaming(status, statusText, headerLines)) {
            case BODY -> START_BODY;
            case NO_BODY -> START_NO_BODY;
            case REFUSED -> START_REFUSED;
        };
    }

    /**
     * Bytes [offset, offset+length) of the ArrayBuffer {@code buffer}, written as the next piece of the
     * body. True: JS may send the next one now; false: it waits for a WRITABLE or CLIENT_GONE event.
     */
    @Export
    public boolean respondChunk(int id, Value buffer, int offset, int length) {
        HttpExchange exchange = exchange(id);
        if (exchange == null) {
            return false;
        }
        byte[] bytes = new byte[length];
        if (length > 0) {
            buffer.readBuffer(offset, bytes, 0, length);
        }
        return exchange.writeChunk(bytes);
    }

    /**
     * After {@link #respondStart} answered START_BODY: the sink that writes the rest of the body
     * without JS (see {@link BodySink}); JS hands it to the source. Null when the request is gone.
     */
    @Export
    public BodySink pipeSink(int id) {
        Open entry = open.get(id);
        if (entry == null) {
            return null;
        }
        entry.pipe = new Pipe(entry);
        return entry.pipe;
    }

    @Export
    public void respondFlush(int id) {
        HttpExchange exchange = exchange(id);
        if (exchange != null) {
            exchange.flush();
        }
    }

    @Export
    public void respondEnd(int id) {
        HttpExchange exchange = exchange(id);
        if (exchange != null) {
            exchange.endResponse();
        }
    }

    /** The body stream errored after the head went out: logged like a handler failure, the response is cut. */
    @Export
    public void streamFailed(int id, Value error, String description) {
        HttpExchange exchange = exchange(id);
        if (exchange != null) {
            failures.handlerFailed(exchange, "the response body stream failed, so the response was cut off: "
                    + format(error, description));
            exchange.abortResponse();
        }
    }

    /** The body stream produced something that is not bytes: logged, the response is cut. */
    @Export
    public void streamInvalid(int id, String message) {
        HttpExchange exchange = exchange(id);
        if (exchange != null) {
            failures.invalidResponse(exchange, message + "; the response was cut off");
            exchange.abortResponse();
        }
    }

    // ---- a streamed request body ----

    /** JS wants the next piece of the request body: a BODY_* event follows. */
    @Export
    public void bodyPull(int id) {
        Open entry = open.get(id);
        if (entry != null && entry.exchange.streamedBody() != null) {
            entry.exchange.streamedBody().pull(entry);
        }
    }

    /**
     * The response of the request that {@code sink} belongs to takes request {@code requestId}'s
     * still-arriving body, which JS has not touched (an echo: {@code new Response(request.body)}):
     * Java moves it, with no JS per chunk. False when there is no such body or sink.
     */
    @Export
    public boolean pipeRequestBody(int requestId, Value sink) {
        RequestBody body = streamedBody(requestId);
        BodySink to = BodySink.from(sink);
        if (body == null || to == null) {
            return false;
        }
        body.pipeTo(to, loop).resume();
        return true;
    }

    /** The still-arriving body of request {@code id}, for a Java pipe (FetchOps.pipeUpload); null when there is none. */
    public RequestBody streamedBody(int id) {
        HttpExchange exchange = exchange(id);
        return exchange == null ? null : exchange.streamedBody();
    }

    @Export
    public void bodyCancel(int id) {
        RequestBody body = streamedBody(id);
        if (body != null) {
            body.cancel();
        }
    }

    /** The response and every {@code waitUntil} promise of request {@code id} have settled. */
    @Export
    public void done(int id) {
        Open entry = open.remove(id);
        if (entry != null) {
            entry.exchange.done();
        }
    }

    /** An Error thrown by JS, formatted as for an uncaught exception (message and stack with file:line). */
    static String format(Value error, String description) {
        if (error != null && error.isException()) {
            try {
                error.throwException();
            } catch (PolyglotException e) {
                return JsErrors.format(e);
            }
        }
        return "Uncaught " + description;
    }
}
