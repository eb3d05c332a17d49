package dev.nano.ext.http;

import java.nio.ByteBuffer;

/**
 * One HTTP request handed to a JS context, and where its answer goes. The server implements it;
 * {@link HttpOps} feeds it to JS and calls it back from the context's loop thread.
 *
 * <p>Responses are whole for now (status, headers, body bytes). Streaming bodies (a
 * {@code ReadableStream} returned by the app) will add a head/chunk/end trio beside
 * {@link #respond}; that is the seam to extend.
 */
public interface HttpExchange {
    String method();

    /** The absolute URL, e.g. {@code http://shop.local/cart?id=3}. */
    String url();

    /** Header names and values as received, joined {@code name\nvalue\nname\nvalue} (no trailing \n). */
    String headerLines();

    /** The request body; null when there is none. Owned by this exchange, never written after creation. */
    ByteBuffer body();

    /**
     * The app's answer. {@code headerLines} is joined like {@link #headerLines()}; {@code body} is the
     * full body ({@code null} or empty: no body). Only the first answer counts; later ones are ignored.
     */
    void respond(int status, String statusText, String headerLines, byte[] body);

    /** An answer written by NANO itself (errors): a short plain text body. */
    default void respondText(int status, String text) {
        respond(status, "", "content-type\ntext/plain;charset=UTF-8",
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The app's answer is status 101 with a WebSocket (Workers' {@code new Response(null, {status: 101,
     * webSocket})}): completes the handshake ({@code headerLines} are the app's extra response headers,
     * e.g. Sec-WebSocket-Protocol) and from then on reports the connection to {@code listener}. Counts
     * as the answer.
     *
     * @throws IllegalStateException when the request is not a WebSocket upgrade, or the server cannot
     *     upgrade it; the message says why
     */
    default dev.nano.ext.websocket.WebSocketConnection acceptWebSocket(String headerLines,
            dev.nano.ext.websocket.WebSocketListener listener) {
        throw new IllegalStateException("this server cannot upgrade requests to WebSockets");
    }

    /** Everything the request started has finished, including its {@code ctx.waitUntil} work. */
    void done();

    /**
     * Registers what to do when the server stops waiting for this request (its answer deadline passed):
     * forget it, so that a handler whose promise never settles does not pin memory or a drain.
     * The action runs at most once, on any thread.
     */
    default void onAbandoned(Runnable action) {}
}
