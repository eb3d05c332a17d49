package dev.nano.ext.websocket;

/**
 * The network side of an accepted WebSocket, as the server provides it (thread-safe). Messages are
 * sent in call order; what is sent after the close started is dropped.
 */
public interface WebSocketConnection {
    void sendText(String text);

    void sendBinary(byte[] data);

    /** Starts the closing handshake; {@code code} -1: a close frame with no status code. */
    void close(int code, String reason);

    /** Bytes handed to {@link #sendText}/{@link #sendBinary} that are not on the wire yet. */
    long bufferedAmount();

    /** The subprotocol the handshake selected, or "". */
    String protocol();

    /** The extensions the handshake agreed (e.g. "permessage-deflate"), or "". */
    String extensions();
}
