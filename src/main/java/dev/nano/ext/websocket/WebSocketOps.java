package dev.nano.ext.websocket;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsRuntime;
import dev.nano.ext.fetch.FetchOps;
import dev.nano.ext.http.HttpExchange;
import dev.nano.loop.EventLoop;

/**
 * Ops of the "websocket" extension (ext/websocket/00_websocket.js): the network side of the WebSockets
 * a context accepted. JS holds integer ids; what the network reports is posted to the context's loop
 * and handed to JS's {@code deliver(id, kind, data, code, reason)} one event at a time, in order.
 * When the context closes (app reloaded, removed or the server stopping), its sockets close with 1001.
 * One instance per context; JS calls come on its loop thread.
 */
public final class WebSocketOps {
    /** Kinds of {@code deliver} calls; must match KIND_* in 00_websocket.js. */
    static final int TEXT = 0;
    static final int BINARY = 1;
    static final int CLOSE = 2;
    static final int ERROR = 3;
    static final int OPEN = 4;

    private final JsRuntime runtime;
    private final EventLoop loop;
    private final Map<Integer, WebSocketConnection> sockets = new ConcurrentHashMap<>(); // counted from other threads (idle checks)
    private final Set<Integer> outbound = ConcurrentHashMap.newKeySet(); // ids holding the loop (ref)
    private Value deliver;
    private boolean closeHooked;
    private int lastId;
    private volatile boolean closed;

    public WebSocketOps(JsRuntime runtime) {
        this.runtime = runtime;
        this.loop = runtime.loop();
    }

    /** The ops object of {@code runtime}'s websocket extension. */
    public static WebSocketOps of(JsRuntime runtime) {
        return runtime.internal().getMember("webSocketOps").asHostObject();
    }

    /** Called once by 00_websocket.js at bootstrap. */
    @Export
    public void register(Value deliverFn) {
        this.deliver = deliverFn;
    }

    /**
     * Completes the upgrade of {@code exchange} and binds the connection to a new id.
     *
     * @return the id, or throws IllegalStateException saying why the request cannot be upgraded
     */
    public int accept(HttpExchange exchange, String headerLines) {
        int id = nextId();
        WebSocketConnection connection = exchange.acceptWebSocket(headerLines, new Listener(id));
        sockets.put(id, connection);
        return id;
    }

    private int nextId() {
        if (!closeHooked) {
            closeHooked = true;
            runtime.onClose(this::closeAll);
        }
        return ++lastId;
    }

    /**
     * Opens a WebSocket to {@code url} (ws: or wss:, already checked by JS) offering {@code protocols}
     * (newline-separated, may be "") with extra request headers {@code headerLines} (name, value, ...
     * newline-separated; fetch() with Upgrade: websocket), if the app's fetch address rules allow
     * the target. Returns its id at once; {@code open}, or {@code error} then {@code close} (1006), follow on the loop. The
     * socket keeps a script's loop alive until it is closed.
     */
    @Export
    public int connect(String url, String protocols, String headerLines) {
        int id = nextId();
        OutboundWebSocket socket = new OutboundWebSocket(new Listener(id));
        sockets.put(id, socket);
        outbound.add(id);
        loop.ref();
        URI uri;
        try {
            uri = FetchOps.toUri(url);
        } catch (URISyntaxException e) {
            socket.fail("WebSocket connection to '" + url + "' failed: invalid URL: " + e.getReason());
            return id;
        }
        if (uri.getHost() == null) { // a host java.net.URI cannot take (e.g. with '_')
            socket.fail("WebSocket connection to '" + url + "' failed: the host is not a valid DNS name or address");
            return id;
        }
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
        FetchOps fetch = FetchOps.of(runtime);
        List<String> offered = protocols.isEmpty() ? List.of() : List.of(protocols.split("\n"));
        fetch.guard().check(uri.getHost(), port).whenComplete((refusal, error) -> {
            if (error != null || refusal != null) {
                socket.fail("WebSocket connection to '" + url + "' refused: "
                        + (refusal != null ? refusal : String.valueOf(error.getMessage())));
            } else {
                socket.connect(fetch.httpClient(), uri, offered, headerLines, fetch.policy().connectTimeoutMsOrDefault());
            }
        });
        return id;
    }

    /** Sockets open in this context: a context that has some is not idle (do not evict it as such). */
    public int openCount() {
        return sockets.size();
    }

    @Export
    public String protocol(int id) {
        WebSocketConnection c = sockets.get(id);
        return c == null ? "" : c.protocol();
    }

    @Export
    public String extensions(int id) {
        WebSocketConnection c = sockets.get(id);
        return c == null ? "" : c.extensions();
    }

    @Export
    public void sendText(int id, String text) {
        WebSocketConnection c = sockets.get(id);
        if (c != null) {
            c.sendText(text);
        }
    }

    /** Sends {@code length} bytes of {@code buffer} (an ArrayBuffer) from {@code offset}. */
    @Export
    public void sendBinary(int id, Value buffer, int offset, int length) {
        WebSocketConnection c = sockets.get(id);
        if (c != null) {
            byte[] data = new byte[length];
            if (length > 0) {
                buffer.readBuffer(offset, data, 0, length);
            }
            c.sendBinary(data);
        }
    }

    /** @param code -1: no status code */
    @Export
    public void close(int id, int code, String reason) {
        WebSocketConnection c = sockets.get(id);
        if (c != null) {
            c.close(code, reason);
        }
    }

    @Export
    public double bufferedAmount(int id) {
        WebSocketConnection c = sockets.get(id);
        return c == null ? 0 : c.bufferedAmount();
    }

    /** The context is closing: its sockets go away (RFC 6455 §7.4.1 1001 "going away"). */
    private void closeAll() {
        closed = true;
        for (WebSocketConnection c : new ArrayList<>(sockets.values())) {
            c.close(1001, "the app was reloaded or stopped");
        }
        sockets.clear();
        for (Integer id : outbound) {
            if (outbound.remove(id)) {
                loop.unref();
            }
        }
    }

    /** Network events of socket {@code id}, re-posted to the context's loop. */
    private final class Listener implements WebSocketListener {
        private final int id;

        Listener(int id) {
            this.id = id;
        }

        private void post(int kind, Object data, int code, String reason) {
            if (closed) {
                return;
            }
            loop.execute(() -> {
                if (closed) {
                    return;
                }
                if (kind == CLOSE) {
                    sockets.remove(id);
                    if (outbound.remove(id)) {
                        loop.unref();
                    }
                }
                // A listener's exception is reported by JS itself; runTask reports anything that escapes.
                runtime.runTask(() -> deliver.executeVoid(id, kind, data, code, reason));
            });
        }

        @Override
        public void onOpen(String protocol, String extensions) {
            post(OPEN, protocol, 0, extensions);
        }

        @Override
        public void onText(String text) {
            post(TEXT, text, 0, "");
        }

        @Override
        public void onBinary(byte[] data) {
            post(BINARY, ByteBuffer.wrap(data), 0, "");
        }

        @Override
        public void onClose(int code, String reason, boolean clean) {
            post(CLOSE, clean, code, reason);
        }

        @Override
        public void onError(String message) {
            post(ERROR, message, 0, "");
        }
    }
}
