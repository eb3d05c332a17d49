package dev.nano.ext.http;

import java.nio.ByteBuffer;

import dev.nano.loop.EventLoop;

/**
 * A request body that is still arriving from the client, read by JS on demand: the server reads
 * from the socket only while JS asks for more (backpressure), and enforces the body size limit as
 * the bytes come in.
 */
public interface RequestBody {
    /** Where one {@link #pull} delivers: exactly one of these is called per pull, on any thread. */
    interface Reader {
        /** The next bytes; the buffer is the reader's to keep. */
        void chunk(ByteBuffer bytes);

        /** The body is complete. */
        void end();

        /** The body cannot be read to its end (client gone, over the size limit, malformed). */
        void error(String message);
    }

    /** Asks for the next piece of the body. Any thread; the answer may come at once or later. */
    void pull(Reader reader);

    /** JS does not want the rest: what is queued is freed and what still arrives is discarded. */
    void cancel();

    /**
     * This body goes to {@code sink} from now on, with no JS: read as the sink takes it, the answers
     * posted to {@code loop}. Returns the pipe paused: its {@code resume()} asks for the first piece.
     * Loop thread.
     */
    default BodySink.Source pipeTo(BodySink sink, EventLoop loop) {
        RequestBodyPipe pipe = new RequestBodyPipe(this, sink, loop);
        sink.attach(pipe);
        return pipe;
    }
}
