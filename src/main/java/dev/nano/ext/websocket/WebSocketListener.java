package dev.nano.ext.websocket;

/**
 * What the network side of a WebSocket reports to the context that owns it. Called from the
 * connection's I/O thread, in the order things happened; the receiver posts each call to its
 * context's loop. After {@link #onClose} nothing more is reported.
 */
public interface WebSocketListener {
    /** An outbound connection completed its handshake (server-side connections are open from the start). */
    default void onOpen(String protocol, String extensions) {}

    /** A whole text message (fragments already joined). */
    void onText(String text);

    /** A whole binary message; the array is the receiver's. */
    void onBinary(byte[] data);

    /**
     * The connection is closed. {@code clean}: both sides exchanged close frames (RFC 6455 §7.1.5);
     * else {@code code} is 1006 (the peer vanished) or why NANO closed it (1009 message too big, 1002
     * protocol error, 1001 idle or going away).
     */
    void onClose(int code, String reason, boolean clean);

    /** Something went wrong before an unclean close (the {@code error} event's cause). */
    void onError(String message);
}
