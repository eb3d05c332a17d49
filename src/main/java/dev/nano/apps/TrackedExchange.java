package dev.nano.apps;

import java.nio.ByteBuffer;

import dev.nano.ext.http.HttpExchange;

/**
 * A request while it runs on an app's worker: frees the worker slot when answered, and lets the app
 * version drain when everything the request started is done.
 * Methods are called on the worker's loop thread.
 */
final class TrackedExchange implements HttpExchange {
    private final HttpExchange inner;
    private final App app;
    private final WorkerPool.Worker worker;
    private boolean answered;
    private boolean done;

    TrackedExchange(HttpExchange inner, App app, WorkerPool.Worker worker) {
        this.inner = inner;
        this.app = app;
        this.worker = worker;
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
    public void respond(int status, String statusText, String headerLines, byte[] body) {
        if (answered) {
            return;
        }
        answered = true;
        worker.leave();
        inner.respond(status, statusText, headerLines, body);
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
        return connection;
    }

    @Override
    public void onAbandoned(Runnable action) {
        inner.onAbandoned(action);
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
        app.exit();
    }
}
