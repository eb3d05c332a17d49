package dev.nano.ext.http;

import java.nio.ByteBuffer;

/**
 * One HTTP request handed to a JS context, and where its answer goes. The server implements it;
 * {@link HttpOps} feeds it to JS and calls it back from the context's loop thread.
 *
 * <p>A request body arrives either whole ({@link #body()}) or as a stream ({@link #streamedBody()}).
 * A response is either whole ({@link #respond}) or streamed: {@link #respondStreaming}, then
 * {@link #writeChunk} as JS produces bytes, then {@link #endResponse} (or {@link #abortResponse}).
 */
public interface HttpExchange {
    String method();

    /** The absolute URL, e.g. {@code http://shop.local/cart?id=3}. */
    String url();

    /** Header names and values as received, joined {@code name\nvalue\nname\nvalue} (no trailing \n). */
    String headerLines();

    /** The request body when it arrived whole; null when there is none or it streams. Owned by this exchange. */
    ByteBuffer body();

    /** The request body while it still arrives from the client; null when there is none or {@link #body()} has it. */
    default RequestBody streamedBody() {
        return null;
    }

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

    /** What {@link #respondStreaming} answers. */
    enum StreamStart {
        /** Write the body with {@link #writeChunk}, then {@link #endResponse}. */
        BODY,
        /** The head is out and no body may follow (HEAD request, 204, 304): call {@link #endResponse} now. */
        NO_BODY,
        /** Nothing was sent: the request was answered already or the client is gone. */
        REFUSED
    }

    /**
     * Sends the status and headers of a response whose body follows in pieces: with the app's
     * Content-Length when it set one, else chunked. Only the first answer counts.
     */
    StreamStart respondStreaming(int status, String statusText, String headerLines);

    /**
     * Writes one piece of a streamed body. Returns true when the caller may write more now; false when
     * it must wait for {@link Events#writable()} (the client reads slower than JS produces) or stop
     * (the client is gone: {@link Events#clientGone()} follows).
     */
    boolean writeChunk(byte[] bytes);

    /** What {@link #writeChunk} wrote goes out now: the producer has nothing more ready. */
    void flush();

    /** The streamed body is complete. */
    void endResponse();

    /** The streamed body cannot be completed: the connection is closed so that the client sees it cut. */
    void abortResponse();

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

    /** What the server tells the request's owner; each call may come on any thread. */
    interface Events {
        /** The server stopped waiting for the answer (its deadline passed): forget the request. At most once. */
        void abandoned();

        /** The client went away before the response was complete. At most once. */
        void clientGone();

        /** A streamed body that {@link #writeChunk} paused may go on. */
        void writable();
    }

    /** Registers the listener of this request's {@link Events}; one per request. */
    default void onEvents(Events events) {}
}
