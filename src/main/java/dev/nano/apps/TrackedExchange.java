package dev.nano.apps;

import java.nio.ByteBuffer;

import dev.nano.ext.http.HttpExchange;
import dev.nano.ext.http.RequestBody;
import dev.nano.loop.CpuAccount;

/**
 * A request while it runs on an app's worker: frees the worker slot and the app's concurrency slot
 * when answered, and lets its context and the app version know when everything it started is done.
 * It is also the account its tasks' CPU time is charged to (the app's CPU limit is per request).
 * Methods are called on the worker's loop thread.
 */
final class TrackedExchange extends CpuAccount implements HttpExchange {
    private final HttpExchange inner;
    private final App app;
    private final WorkerPool.Worker worker;
    private AppContext context;
    /** Neighbours in its context's list of open requests (AppContext's). */
    TrackedExchange prevOpen;
    TrackedExchange nextOpen;
    private boolean answered;
    private boolean done;

    TrackedExchange(HttpExchange inner, App app, WorkerPool.Worker worker) {
        this.inner = inner;
        this.app = app;
        this.worker = worker;
    }

    /** The context that handles this request, which must know when it is done. */
    void runsIn(AppContext context) {
        this.context = context;
    }

    AppContext context() {
        return context;
    }

    @Override
    public String method() {
        return inner.method();
    }

    @Override
    public String url() {
        return inner.url();
    }

    @Override
    public String headerLines() {
        return inner.headerLines();
    }

    @Override
    public ByteBuffer body() {
        return inner.body();
    }

    @Override
    public RequestBody streamedBody() {
        return inner.streamedBody();
    }

    @Override
    public void respond(int status, String statusText, String headerLines, byte[] body) {
        if (answered) {
            return;
        }
        answered = true;
        worker.leave();
        inner.respond(status, statusText, headerLines, body);
        app.released();
    }

    @Override
    public StreamStart respondStreaming(int status, String statusText, String headerLines) {
        if (answered) {
            return StreamStart.REFUSED;
        }
        answered = true;
        worker.leave(); // the worker is free once the head is out; the body streams at the client's pace
        StreamStart start = inner.respondStreaming(status, statusText, headerLines);
        app.released();
        return start;
    }

    @Override
    public boolean writeChunk(byte[] bytes) {
        return inner.writeChunk(bytes);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void endResponse() {
        inner.endResponse();
    }

    @Override
    public void abortResponse() {
        inner.abortResponse();
    }

    @Override
    public void onEvents(Events events) {
        inner.onEvents(events);
    }

    @Override
    public dev.nano.ext.websocket.WebSocketConnection acceptWebSocket(String headerLines,
            dev.nano.ext.websocket.WebSocketListener listener) {
        if (answered) {
            throw new IllegalStateException("the request was already answered");
        }
        dev.nano.ext.websocket.WebSocketConnection connection = inner.acceptWebSocket(headerLines, listener);
        answered = true;
        worker.leave();
        app.released();
        return connection;
    }

    @Override
    public void done() {
        if (done) {
            return;
        }
        done = true;
        if (!answered) { // never answered (cannot happen through HttpOps): do not leave the client waiting
            respondText(500, "Internal Server Error\n");
        }
        inner.done();
        if (context != null) {
            context.finished(this);
        }
        app.exit();
    }
}
