package dev.nano.ext.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body that JS streams from a ReadableStream: the HTTP client's demand asks JS for one
 * chunk at a time ({@link FetchExchange#uploadWanted()}), so a fast app never buffers more than a
 * chunk ahead of the socket. Methods other than the client's {@code request}/{@code cancel} run on
 * the context's loop thread; those two post to it.
 */
final class UploadPublisher implements Flow.Publisher<ByteBuffer> {
    private final FetchExchange exchange;
    private Flow.Subscriber<? super ByteBuffer> subscriber; // loop thread
    private long demand; // loop thread
    private boolean ended;

    UploadPublisher(FetchExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
        exchange.post(() -> {
            if (subscriber != null || ended) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override public void request(long n) {}
                    @Override public void cancel() {}
                });
                s.onError(new IOException("a streamed request body cannot be sent twice"));
                return;
            }
            subscriber = s;
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    exchange.post(() -> {
                        demand += n;
                        if (demand > 0 && !ended) {
                            exchange.uploadWanted();
                        }
                    });
                }

                @Override
                public void cancel() {
                    exchange.post(() -> ended = true);
                }
            });
        });
    }

    /** Whether the client wants another chunk now. */
    boolean wantsMore() {
        return subscriber != null && demand > 0 && !ended;
    }

    void chunk(ByteBuffer bytes) {
        if (ended || subscriber == null) {
            return;
        }
        demand--;
        subscriber.onNext(bytes);
    }

    void end() {
        if (!ended && subscriber != null) {
            ended = true;
            subscriber.onComplete();
        }
    }

    void fail(String message) {
        if (!ended && subscriber != null) {
            ended = true;
            subscriber.onError(new IOException(message));
        }
        ended = true;
    }
}
