package dev.nano.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.nano.jmh.Timing;

/**
 * A whole request through NANO's server, without a socket ({@link EmbeddedServer}): the request's
 * bytes go through the server's pipeline (decoding, keep-alive, body, pipelining, routing), the app's
 * JS fetch handler runs in its context, its Response comes back to Java and is encoded, and the
 * access log line and metrics are recorded. Beside it, the floor: a bare Netty hello world in the same
 * harness (codec, keep-alive, a handler answering a fixed response).
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = Timing.WARMUP_ITERATIONS, time = Timing.WARMUP_SECONDS)
@Measurement(iterations = Timing.ITERATIONS, time = Timing.SECONDS)
@Fork(1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBench {
    /** What wrk sends: the request line and Host. */
    static final byte[] GET = ascii("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");

    /** bench/apps/hello.js, the app of bench/http-hello.sh. */
    static final String HELLO_APP = """
            export default {
              fetch() {
                return new Response("Hello World\\n");
              },
            };
            """;

    /** Reads a POST body whole with text(), or a streamed one chunk by chunk; answers what it read. */
    static final String BODY_APP = """
            export default {
              async fetch(request) {
                if (request.url.endsWith('/chunks')) {
                  const reader = request.body.getReader();
                  let bytes = 0, chunks = 0;
                  for (;;) {
                    const { done, value } = await reader.read();
                    if (done) break;
                    bytes += value.byteLength;
                    chunks++;
                  }
                  return new Response(`${bytes} bytes in ${chunks} chunks\\n`);
                }
                return new Response(`${(await request.text()).length} characters\\n`);
              },
            };
            """;

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static void check(boolean ok, String what, String response) {
        if (!ok) {
            throw new IllegalStateException("benchmark self-check failed: " + what + "; the response was:\n" + response);
        }
    }

    static long nonEmpty(long bytes) {
        if (bytes == 0) {
            throw new IllegalStateException("no response was written");
        }
        return bytes;
    }

    @State(Scope.Thread)
    public static class Hello {
        EmbeddedServer server;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            server = new EmbeddedServer(HELLO_APP);
            String response = server.exchangeText(server.read(GET));
            check(response.startsWith("HTTP/1.1 200 OK\r\n") && response.endsWith("\r\n\r\nHello World\n"),
                    "GET / answers 200 Hello World", response);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            server.close();
        }
    }

    /** GET / to bench/apps/hello.js: the hello-world request of bench/http-hello.sh. */
    @Benchmark
    public long helloGet(Hello s) {
        return nonEmpty(s.server.exchange(s.server.read(GET)));
    }

    @State(Scope.Thread)
    public static class RawNetty {
        EmbeddedChannel channel;

        @Setup(Level.Trial)
        public void setUp() {
            channel = new EmbeddedChannel(new HttpServerCodec(), new HttpServerKeepAliveHandler(), new HelloHandler());
            channel.writeInbound(channel.alloc().buffer().writeBytes(GET));
            ByteBuf out = channel.readOutbound();
            String response = out.toString(StandardCharsets.US_ASCII);
            out.release();
            check(response.startsWith("HTTP/1.1 200 OK\r\n"), "the bare Netty handler answers 200", response);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            channel.finishAndReleaseAll();
        }
    }

    /** The floor: Netty's codec and a handler that answers every request with a fixed hello world. */
    static final class HelloHandler extends SimpleChannelInboundHandler<HttpObject> {
        private static final byte[] BODY = ascii("Hello World\n");

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest) {
                DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(BODY));
                response.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=UTF-8")
                        .set(HttpHeaderNames.CONTENT_LENGTH, BODY.length)
                        .set(HttpHeaderNames.DATE, HttpDates.now());
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
            }
        }
    }

    @Benchmark
    public long rawNettyHelloBaseline(RawNetty s) {
        EmbeddedChannel ch = s.channel;
        ch.writeInbound(ch.alloc().buffer(GET.length).writeBytes(GET));
        long bytes = 0;
        for (Object out; (out = ch.readOutbound()) != null; ) {
            bytes += ((ByteBuf) out).readableBytes();
            ((ByteBuf) out).release();
        }
        return nonEmpty(bytes);
    }

    @State(Scope.Thread)
    public static class Post {
        @Param({"1024", "65536"})
        public int size;
        EmbeddedServer server;
        byte[] request;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            server = new EmbeddedServer(BODY_APP);
            byte[] head = ascii("POST /text HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: " + size + "\r\n\r\n");
            request = Arrays.copyOf(head, head.length + size);
            Arrays.fill(request, head.length, request.length, (byte) 'x');
            String response = server.exchangeText(server.read(request));
            check(response.startsWith("HTTP/1.1 200 OK\r\n") && response.endsWith("\r\n\r\n" + size + " characters\n"),
                    "the app read the whole body with text()", response);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            server.close();
        }
    }

    /** A POST whose body arrives with its head (the server hands it over whole); the app awaits text(). */
    @Benchmark
    public long postText(Post s) {
        return nonEmpty(s.server.exchange(s.server.read(s.request)));
    }

    @State(Scope.Thread)
    public static class Streamed {
        static final int CHUNK = 4096;
        static final int CHUNKS = 16;
        EmbeddedServer server;
        byte[] head;
        byte[] chunk;
        byte[] last;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            server = new EmbeddedServer(BODY_APP);
            head = ascii("POST /chunks HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/octet-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            byte[] size = ascii(Integer.toHexString(CHUNK) + "\r\n");
            chunk = new byte[size.length + CHUNK + 2];
            System.arraycopy(size, 0, chunk, 0, size.length);
            Arrays.fill(chunk, size.length, size.length + CHUNK, (byte) 'x');
            chunk[chunk.length - 2] = '\r';
            chunk[chunk.length - 1] = '\n';
            last = ascii("0\r\n\r\n");
            String response = server.exchangeText(reads());
            check(response.startsWith("HTTP/1.1 200 OK\r\n")
                    && response.endsWith("\r\n\r\n" + CHUNK * CHUNKS + " bytes in " + CHUNKS + " chunks\n"),
                    "the app read the streamed body one chunk per read", response);
        }

        /** The head alone, then one chunk per read, then the end: a body that streams to the app. */
        ByteBuf[] reads() {
            ByteBuf[] reads = new ByteBuf[CHUNKS + 2];
            reads[0] = server.read(head);
            for (int i = 1; i <= CHUNKS; i++) {
                reads[i] = server.read(chunk);
            }
            reads[CHUNKS + 1] = server.read(last);
            return reads;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            server.close();
        }
    }

    /** A 64 KiB chunked POST arriving 4 KiB per read; the app reads request.body chunk by chunk. */
    @Benchmark
    public long postStreamed64KiB(Streamed s) {
        return nonEmpty(s.server.exchange(s.reads()));
    }
}
