package dev.nano.ext.http;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsErrors;
import dev.nano.engine.JsRuntime;
import dev.nano.loop.EventLoop;

/**
 * Request dispatch for one context (ext/http/00_dispatch.js): hands {@link HttpExchange}s to JS under
 * integer ids and takes the answers back. Every method runs on the context's loop thread.
 */
public final class HttpOps {
    /** What the owner of the context does with an app's mistakes: log them for the operator. */
    public interface Failures {
        /** The handler threw or its promise rejected; {@code formatted} has the stack. */
        void handlerFailed(HttpExchange exchange, String formatted);

        /** The handler answered with something that is not a Response. */
        void invalidResponse(HttpExchange exchange, String message);
    }

    private final EventLoop loop;
    private final JsRuntime runtime;
    private String webSocketError = "";
    private final Map<Integer, HttpExchange> open = new HashMap<>();
    private int lastId;
    private Value install;
    private Value dispatch;
    private Failures failures;

    public HttpOps(JsRuntime runtime) {
        this.loop = runtime.loop();
        this.runtime = runtime;
    }

    /** The ops object of {@code runtime}'s http extension. */
    public static HttpOps of(JsRuntime runtime) {
        return runtime.internal().getMember("httpOps").asHostObject();
    }

    /** Called once by 00_dispatch.js at bootstrap with its two entry points. */
    @Export
    public void register(Value installFn, Value dispatchFn) {
        this.install = installFn;
        this.dispatch = dispatchFn;
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
        open.put(id, exchange);
        exchange.onAbandoned(() -> loop.execute(() -> abandon(id)));
        try {
            dispatch.executeVoid(id, exchange.method(), exchange.url(), exchange.headerLines(), exchange.body());
        } catch (PolyglotException e) {
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
        HttpExchange exchange = open.remove(id);
        if (exchange != null) {
            exchange.done();
        }
    }

    /** Requests handed to JS whose work has not finished yet. */
    public int openCount() {
        return open.size();
    }

    @Export
    public void respondText(int id, int status, String statusText, String headerLines, String body) {
        HttpExchange exchange = open.get(id);
        if (exchange != null) {
            exchange.respond(status, statusText, headerLines, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** {@code buffer} is an ArrayBuffer (or null: no body); only bytes [offset, offset+length) are sent. */
    @Export
    public void respondBytes(int id, int status, String statusText, String headerLines, Value buffer, int offset, int length) {
        HttpExchange exchange = open.get(id);
        if (exchange == null) {
            return;
        }
        byte[] body = null;
        if (buffer != null && !buffer.isNull() && length > 0) {
            body = new byte[length];
            buffer.readBuffer(offset, body, 0, length);
        }
        exchange.respond(status, statusText, headerLines, body);
    }

    /**
     * The handler answered 101 with a WebSocket: upgrades the connection (ext/websocket).
     *
     * @return the socket's id in the context's WebSocket ops; 0 when the request cannot be upgraded
     *     ({@link #webSocketError()} says why; nothing was answered yet)
     */
    @Export
    public int respondWebSocket(int id, String headerLines) {
        HttpExchange exchange = open.get(id);
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
        HttpExchange exchange = open.get(id);
        if (exchange != null) {
            failures.handlerFailed(exchange, format(error, description));
        }
    }

    @Export
    public void invalidResponse(int id, String message) {
        HttpExchange exchange = open.get(id);
        if (exchange != null) {
            failures.invalidResponse(exchange, message);
        }
    }

    /** The response and every {@code waitUntil} promise of request {@code id} have settled. */
    @Export
    public void done(int id) {
        HttpExchange exchange = open.remove(id);
        if (exchange != null) {
            exchange.done();
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
