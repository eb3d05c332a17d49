package dev.nano.ext.http;

import java.nio.ByteBuffer;

import dev.nano.loop.EventLoop;

/**
 * Moves a request body that is still arriving into a {@link BodySink}, with no JS per chunk: an echo
 * ({@code new Response(request.body)}) or an upload ({@code fetch(request)}) of a body the app has not
 * touched. The body is read from the client only as fast as the sink takes it: the pipe starts paused
 * ({@link RequestBody#pipeTo}), and pulls again only while the sink's write answers true, or after a
 * {@link #resume()}. Loop thread, except the pull answers, which are posted to the loop.
 */
final class RequestBodyPipe implements BodySink.Source {
    private final RequestBody body;
    private final BodySink sink;
    private final EventLoop loop;
    private boolean pulling;
    private boolean waiting = true; // the sink is full (or not ready yet): the next pull waits for resume()
    private boolean over;

    private final RequestBody.Reader reader = new RequestBody.Reader() { // any thread
        @Override
        public void chunk(ByteBuffer bytes) {
            loop.execute(() -> arrived(bytes));
        }

        @Override
        public void end() {
            loop.execute(() -> finish(null));
        }

        @Override
        public void error(String message) {
            loop.execute(() -> finish(message));
        }
    };

    RequestBodyPipe(RequestBody body, BodySink sink, EventLoop loop) {
        this.body = body;
        this.sink = sink;
        this.loop = loop;
    }

    private void pull() {
        if (!over && !pulling) {
            pulling = true;
            body.pull(reader); // answered through the loop, never from inside this call
        }
    }

    private void arrived(ByteBuffer bytes) {
        pulling = false;
        if (over) {
            return;
        }
        if (sink.write(toArray(bytes))) {
            pull();
        } else {
            waiting = true;
        }
    }

    /** The bytes as an array: the buffer's own when it is a whole array (it is ours to keep), else a copy. */
    private static byte[] toArray(ByteBuffer bytes) {
        if (bytes.hasArray() && bytes.arrayOffset() == 0 && bytes.position() == 0
                && bytes.remaining() == bytes.array().length) {
            return bytes.array();
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return copy;
    }

    private void finish(String error) {
        pulling = false;
        if (over) {
            return;
        }
        over = true;
        if (error == null) {
            sink.end();
        } else {
            sink.fail("the request body being passed on could not be read: " + error);
        }
    }

    @Override
    public void resume() {
        if (waiting) {
            waiting = false;
            pull();
        }
    }

    @Override
    public void cancel() {
        if (!over) {
            over = true;
            body.cancel();
        }
    }
}
