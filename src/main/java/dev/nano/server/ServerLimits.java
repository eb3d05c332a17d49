package dev.nano.server;

/**
 * The HTTP listener's limits, each with a clear answer when exceeded.
 *
 * @param maxInitialLineBytes request line (method, target, version); longer: 414
 * @param maxHeaderBytes all header lines together; larger: 431
 * @param maxBodyBytes request body, server-wide (apps may set less); larger: 413 (counted as a streamed body
 *        arrives: 413 if the app has not answered yet, else the connection is closed)
 * @param requestReadTimeoutMillis time a client has to send a whole request once it started; slower: 408. A body
 *        that streams to the app is read at the app's pace, so this clock stops at its head
 * @param responseTimeoutMillis time an app has to send its response head (apps may set their own); later: 504.
 *        A streamed response body may go on as long as it keeps moving
 * @param idleTimeoutMillis a keep-alive connection with no request in progress is closed after this, and so
 *        is one whose streamed response has neither sent nor received anything for this long
 * @param maxPipelinedRequests requests a client may send ahead on one connection before it is closed
 * @param shutdownGraceMillis how long a graceful shutdown waits for requests and waitUntil work
 */
public record ServerLimits(int maxInitialLineBytes, int maxHeaderBytes, long maxBodyBytes,
                           long requestReadTimeoutMillis, long responseTimeoutMillis, long idleTimeoutMillis,
                           int maxPipelinedRequests, long shutdownGraceMillis) {
    public static final int DEFAULT_MAX_INITIAL_LINE_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 32 * 1024;
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
    public static final long DEFAULT_REQUEST_READ_TIMEOUT_MILLIS = 30_000;
    public static final long DEFAULT_RESPONSE_TIMEOUT_MILLIS = 60_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 75_000;
    public static final int DEFAULT_MAX_PIPELINED_REQUESTS = 64;
    public static final long DEFAULT_SHUTDOWN_GRACE_MILLIS = 30_000;

    public static final ServerLimits DEFAULTS = new ServerLimits(DEFAULT_MAX_INITIAL_LINE_BYTES,
            DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES, DEFAULT_REQUEST_READ_TIMEOUT_MILLIS,
            DEFAULT_RESPONSE_TIMEOUT_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS, DEFAULT_MAX_PIPELINED_REQUESTS,
            DEFAULT_SHUTDOWN_GRACE_MILLIS);

    public ServerLimits withShutdownGrace(long millis) {
        return new ServerLimits(maxInitialLineBytes, maxHeaderBytes, maxBodyBytes, requestReadTimeoutMillis,
                responseTimeoutMillis, idleTimeoutMillis, maxPipelinedRequests, millis);
    }

    public ServerLimits withTimeouts(long requestReadMillis, long responseMillis, long idleMillis) {
        return new ServerLimits(maxInitialLineBytes, maxHeaderBytes, maxBodyBytes, requestReadMillis,
                responseMillis, idleMillis, maxPipelinedRequests, shutdownGraceMillis);
    }

    public ServerLimits withMaxBodyBytes(long bytes) {
        return new ServerLimits(maxInitialLineBytes, maxHeaderBytes, bytes, requestReadTimeoutMillis,
                responseTimeoutMillis, idleTimeoutMillis, maxPipelinedRequests, shutdownGraceMillis);
    }
}
