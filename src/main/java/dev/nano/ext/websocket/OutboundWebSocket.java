package dev.nano.ext.websocket;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;

/**
 * A WebSocket this process opened to another server ({@code new WebSocket(url)}), on the JDK's
 * non-blocking {@link WebSocket} client (TLS with the JDK's trust store). It reports to a
 * {@link WebSocketListener} like a server-side connection, plus {@link WebSocketListener#onOpen}.
 *
 * <p>The JDK allows one send in flight at a time, so sends wait in a queue; {@link #bufferedAmount}
 * counts what is queued or in flight. The JDK's client negotiates no extensions, so
 * {@link #extensions()} is always "".
 */
final class OutboundWebSocket implements WebSocketConnection, WebSocket.Listener {
    /** A message from the peer bigger than this closes the socket with 1009 (as the server side does). */
    static final int MAX_MESSAGE_BYTES = 32 << 20;
    static final long CLOSE_TIMEOUT_SECONDS = 30;

    private final WebSocketListener listener;
    private final ArrayDeque<Object> queue = new ArrayDeque<>(); // String, byte[] or a Close
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean(); // onClose reported
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private volatile WebSocket ws;
    private volatile String protocol = "";
    private boolean sending; // guarded by queue
    private boolean closeQueued; // guarded by queue

    private record Close(int code, String reason) {}

    OutboundWebSocket(WebSocketListener listener) {
        this.listener = listener;
    }

    /** Opens the connection; {@code protocols} in order of preference (may be empty). */
    void connect(HttpClient client, URI uri, List<String> protocols, String headerLines, long connectTimeoutMs) {
        WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(Duration.ofMillis(connectTimeoutMs));
        boolean userAgent = false;
        if (!headerLines.isEmpty()) {
            String[] parts = headerLines.split("\n", -1);
            for (int i = 0; i + 1 < parts.length; i += 2) {
                try {
                    b.header(parts[i], parts[i + 1]);
                    userAgent |= parts[i].equalsIgnoreCase("user-agent");
                } catch (IllegalArgumentException restricted) {
                    // a header the handshake sets itself (the JDK refuses to let it be overridden): dropped
                }
            }
        }
        if (!userAgent) {
            b.header("User-Agent", "NANO/" + dev.nano.Version.get());
        }
        if (!protocols.isEmpty()) {
            b.subprotocols(protocols.getFirst(), protocols.subList(1, protocols.size()).toArray(String[]::new));
        }
        CompletableFuture<WebSocket> opening;
        try {
            opening = b.buildAsync(uri, this);
        } catch (IllegalArgumentException e) {
            fail("cannot connect to " + uri + ": " + e.getMessage());
            return;
        }
        opening.whenComplete((socket, error) -> {
            if (error != null) {
                fail(describe(error, uri));
            } else if (ended.get()) { // close() was called while connecting
                socket.abort();
            }
        });
    }

    /** Why the handshake failed, in words (never a bare Java class name when a cause is known). */
    private static String describe(Throwable error, URI uri) {
        String detail = null;
        Throwable last = error;
        for (Throwable c = error; c != null && detail == null; c = c.getCause()) {
            last = c;
            if (c instanceof HttpTimeoutException) {
                detail = "timed out";
            } else if (c instanceof ConnectException || c instanceof ClosedChannelException) {
                detail = "connection refused";
            } else if (c instanceof SSLException) {
                detail = "TLS handshake failed: " + c.getMessage();
            } else if (c instanceof WebSocketHandshakeException h) {
                detail = "the server answered " + h.getResponse().statusCode() + " instead of accepting the WebSocket";
            }
        }
        if (detail == null) {
            detail = last.getMessage() == null ? last.getClass().getSimpleName() : last.getMessage();
        }
        return "WebSocket connection to '" + uri + "' failed: " + detail;
    }

    /** Reports an error and an unclean close (1006), once. */
    void fail(String message) {
        if (ended.compareAndSet(false, true)) {
            listener.onError(message);
            listener.onClose(1006, "", false);
        }
        WebSocket socket = ws;
        if (socket != null) {
            socket.abort();
        }
    }

    // ---- WebSocketConnection (what JS asks) ----

    @Override
    public void sendText(String data) {
        enqueue(data, data.getBytes(StandardCharsets.UTF_8).length);
    }

    @Override
    public void sendBinary(byte[] data) {
        enqueue(data, data.length);
    }

    @Override
    public void close(int code, String reason) {
        if (ws == null) { // still connecting: WebSockets Standard "fail the WebSocket connection"
            fail("the WebSocket was closed before the connection was established");
            return;
        }
        // The JDK cannot send a Close frame without a status code: 1000 (normal closure) stands in.
        enqueue(new Close(code < 0 ? WebSocket.NORMAL_CLOSURE : code, reason), 0);
    }

    private void enqueue(Object message, long size) {
        synchronized (queue) {
            if (closeQueued || ended.get()) {
                return;
            }
            closeQueued = message instanceof Close;
            buffered.addAndGet(size);
            queue.add(message);
            if (sending) {
                return;
            }
            sending = true;
        }
        pump();
    }

    /** Sends queued messages one at a time, each after the previous one completed. */
    private void pump() {
        Object next;
        synchronized (queue) {
            next = queue.poll();
            if (next == null) {
                sending = false;
                return;
            }
        }
        WebSocket socket = ws;
        long size;
        CompletableFuture<WebSocket> sent;
        if (next instanceof String s) {
            size = s.getBytes(StandardCharsets.UTF_8).length;
            sent = socket.sendText(s, true);
        } else if (next instanceof byte[] bytes) {
            size = bytes.length;
            sent = socket.sendBinary(ByteBuffer.wrap(bytes), true);
        } else {
            Close c = (Close) next;
            size = 0;
            sent = socket.sendClose(c.code(), c.reason());
        }
        if (next instanceof Close) { // a peer that never answers our Close: give up (RFC 6455 §7.1.1)
            sent.thenRun(() -> CompletableFuture.delayedExecutor(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS).execute(() -> {
                if (!ended.get()) {
                    fail("the peer did not answer the closing handshake within " + CLOSE_TIMEOUT_SECONDS + " s");
                }
            }));
        }
        sent.whenComplete((r, error) -> {
            buffered.addAndGet(-size);
            if (error != null) {
                fail("sending on the WebSocket failed: " + error.getMessage());
                synchronized (queue) {
                    queue.clear();
                    sending = false;
                }
            } else {
                pump();
            }
        });
    }

    @Override
    public long bufferedAmount() {
        return Math.max(0, buffered.get());
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String extensions() {
        return "";
    }

    // ---- WebSocket.Listener (what the network reports; the JDK calls these one at a time) ----

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        protocol = webSocket.getSubprotocol() == null ? "" : webSocket.getSubprotocol();
        if (ended.get()) { // closed while connecting
            webSocket.abort();
            return;
        }
        listener.onOpen(protocol, "");
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (text.length() > MAX_MESSAGE_BYTES) {
            tooBig(webSocket);
            return null;
        }
        if (last) {
            String message = text.toString();
            text.setLength(0);
            if (!ended.get()) {
                listener.onText(message);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        if (binary.size() + data.remaining() > MAX_MESSAGE_BYTES) {
            tooBig(webSocket);
            return null;
        }
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            byte[] message = binary.toByteArray();
            binary.reset();
            if (!ended.get()) {
                listener.onBinary(message);
            }
        }
        webSocket.request(1);
        return null;
    }

    private void tooBig(WebSocket webSocket) {
        text.setLength(0);
        binary.reset();
        if (ended.compareAndSet(false, true)) {
            listener.onError("the peer sent a message bigger than " + MAX_MESSAGE_BYTES + " bytes");
            listener.onClose(1009, "message too big", false);
        }
        webSocket.sendClose(1009, "message too big").whenComplete((r, e) -> webSocket.abort());
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        webSocket.request(1); // the JDK answers with a Pong itself
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        // Returning null: the JDK answers the peer's Close with the same code if we had not sent ours.
        if (ended.compareAndSet(false, true)) {
            listener.onClose(statusCode, reason, true);
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        String detail = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        fail("the WebSocket connection failed: " + detail);
    }
}
