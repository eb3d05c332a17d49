package dev.nano.server;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpRequest;

/** A request whose body streams ({@link StreamedBody}) instead of arriving whole: what {@link RequestBodyHandler} hands on. */
final class StreamedRequest extends DefaultHttpRequest {
    private final StreamedBody body;

    StreamedRequest(HttpRequest head, StreamedBody body) {
        super(head.protocolVersion(), head.method(), head.uri(), head.headers());
        setDecoderResult(head.decoderResult());
        this.body = body;
    }

    StreamedBody body() {
        return body;
    }
}
