package dev.nano.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import dev.nano.ext.http.RequestBody;

/**
 * A request body on its way from the socket to JS. {@link RequestBodyHandler} feeds it what the
 * decoder produces; JS pulls it. While JS does not ask for more and {@link #HIGH_WATER_MARK} bytes
 * wait here, the socket is not read (auto-read off), so a slow reader holds back the client instead
 * of filling the heap. The app's size limit is enforced as the bytes arrive. All state lives on the
 * channel's event loop; {@link #pull} and {@link #cancel} may be called from any thread.
 */
final class StreamedBody implements RequestBody {
    /** Bytes queued here, unread by JS, before the socket stops being read. */
    static final int HIGH_WATER_MARK = 64 * 1024;
    /** Queued pieces are joined into one chunk for JS up to this size (fewer, larger JS reads). */
    static final int MAX_CHUNK = 64 * 1024;
    /**
     * After a response that left the body unread, how long the rest may take to arrive (it is read and
     * dropped) before the connection is closed. Closing at once while the client still sends could reset
     * the connection and lose the response for it (RFC 9112 §9.6); a body that ends in time leaves the
     * connection usable for the next request, as Netty's aggregator does after a 413.
     */
    static final long LINGER_MILLIS = 2000;

    private final Channel channel;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private int queued;
    private long received;
    private long limit = Long.MAX_VALUE;
    private Runnable onOverLimit;
    private Reader waiting;
    private boolean ended;
    private String failure;
    private boolean discarding;

    StreamedBody(Channel channel) {
        this.channel = channel;
    }

    // ---- the socket side (event loop) ----

    /** The next bytes from the client; the buffer stays the caller's (it is retained if kept). */
    void offer(ByteBuf content) {
        int n = content.readableBytes();
        if (n == 0) {
            return;
        }
        received += n;
        if (received > limit && failure == null) {
            overLimit();
            return;
        }
        if (discarding || failure != null) {
            return;
        }
        queue.add(content.retain());
        queued += n;
        if (queued >= HIGH_WATER_MARK && waiting == null) {
            channel.config().setAutoRead(false); // JS is not reading: let TCP hold the client back
        }
        deliver();
    }

    /** The client sent the whole body. */
    void end() {
        ended = true;
        deliver();
    }

    /**
     * The response is out and nobody will read the rest of the body: drop what still arrives; if the
     * body has not ended after {@link #LINGER_MILLIS}, close the connection. Event loop.
     */
    void drainAfterResponse() {
        if (ended) {
            return;
        }
        if (failure != null && !discarding) { // the client is gone, or its framing broke: nothing to wait for
            channel.close();
            return;
        }
        discardNow();
        channel.eventLoop().schedule(() -> {
            if (!ended) {
                channel.close();
            }
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The body cannot complete (client gone, malformed chunk encoding). */
    void fail(String message) {
        if (failure == null && !ended) {
            failure = message;
            release();
            deliver();
        }
    }

    /** The app's limit, known once the request is routed; {@code onOverLimit} runs when the body exceeds it. */
    void limit(long maxBytes, Runnable onOverLimit) {
        this.limit = maxBytes;
        this.onOverLimit = onOverLimit;
        if (received > limit && failure == null) {
            overLimit();
        }
    }

    private void overLimit() {
        failure = "the request body exceeds the app's limit of " + limit + " bytes";
        release();
        discarding = true;
        if (onOverLimit != null) {
            onOverLimit.run(); // first: NANO's 413 goes out before JS hears of the error and answers itself
        }
        deliver();
    }

    /** True once the client has sent the whole body (the connection can carry another request). */
    boolean isComplete() {
        return ended;
    }

    /** Bytes received so far. */
    long received() {
        return received;
    }

    /** Nobody will read the rest (the exchange is over, or queued and never dispatched): free it. */
    void discard() {
        if (channel.eventLoop().inEventLoop()) {
            discardNow();
        } else {
            channel.eventLoop().execute(this::discardNow);
        }
    }

    private void discardNow() {
        discarding = true;
        waiting = null;
        release();
        if (!ended && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true); // read (and drop) the rest
        }
    }

    private void release() {
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            b.release();
        }
        queued = 0;
    }

    // ---- the JS side ----

    @Override
    public void pull(Reader reader) {
        if (channel.eventLoop().inEventLoop()) {
            pullNow(reader);
        } else {
            channel.eventLoop().execute(() -> pullNow(reader));
        }
    }

    private void pullNow(Reader reader) {
        if (discarding && failure == null) {
            reader.error("the request body was cancelled");
            return;
        }
        waiting = reader;
        deliver();
    }

    @Override
    public void cancel() {
        discard();
    }

    private void deliver() {
        Reader reader = waiting;
        if (reader == null) {
            return;
        }
        if (!queue.isEmpty()) {
            waiting = null;
            ByteBuffer chunk = takeChunk();
            if (queued < HIGH_WATER_MARK && !ended && !discarding && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true); // read ahead while JS handles this chunk
            }
            reader.chunk(chunk);
        } else if (failure != null) {
            waiting = null;
            reader.error(failure);
        } else if (ended) {
            waiting = null;
            reader.end();
        } else if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true); // JS wants more and nothing is queued
        }
    }

    private ByteBuffer takeChunk() {
        int size = 0;
        for (ByteBuf b : queue) {
            if (size > 0 && size + b.readableBytes() > MAX_CHUNK) {
                break;
            }
            size += b.readableBytes();
        }
        byte[] bytes = new byte[size];
        int at = 0;
        while (at < size) {
            ByteBuf b = queue.poll();
            int n = b.readableBytes();
            b.readBytes(bytes, at, n);
            b.release();
            at += n;
        }
        queued -= size;
        return ByteBuffer.wrap(bytes);
    }
}
