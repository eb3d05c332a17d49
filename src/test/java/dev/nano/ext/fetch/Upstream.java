package dev.nano.ext.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;

/**
 * The upstream server of the fetch tests: the JDK's HTTP server on an ephemeral port of 127.0.0.1,
 * with endpoints for every behaviour fetch() must show. Test scope only.
 */
public final class Upstream implements AutoCloseable {
    final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(Thread.ofPlatform().daemon(true).factory());
    /** Client ports seen: one per connection. */
    public final Set<Integer> connections = ConcurrentHashMap.newKeySet();
    final AtomicInteger requests = new AtomicInteger();
    public volatile CountDownLatch gate = new CountDownLatch(1);
    /** Set when a /hang or /body-hang exchange saw its client go away. */
    final AtomicInteger clientsGone = new AtomicInteger();
    volatile long lastUploadBytes = -1;
    /** Bytes of the current /upload read so far (/progress answers it). */
    volatile long uploadProgress;
    volatile String lastUploadEncoding;

    /** Requests now inside /slow or /held, and the most there were at once. */
    public final AtomicInteger inside = new AtomicInteger();
    public final AtomicInteger mostInside = new AtomicInteger();
    /** Requests that reached /held. */
    public final AtomicInteger held = new AtomicInteger();

    /** A listener that reads requests and never answers; counts the connections its clients closed. */
    private final java.net.ServerSocket silent = new java.net.ServerSocket(0, 64, java.net.InetAddress.getLoopbackAddress());
    public final AtomicInteger silentClosed = new AtomicInteger();

    public Upstream() throws IOException {
        this(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512));
    }

    /** The base URL of the listener that never answers. */
    public String silentBase() {
        return "http://127.0.0.1:" + silent.getLocalPort();
    }

    private void acceptSilently() {
        while (!silent.isClosed()) {
            try {
                java.net.Socket s = silent.accept();
                pool.execute(() -> {
                    try (s; InputStream in = s.getInputStream()) {
                        byte[] buf = new byte[4096];
                        while (in.read(buf) >= 0) {
                            // read and ignore: the request never gets an answer
                        }
                        silentClosed.incrementAndGet();
                    } catch (IOException e) {
                        silentClosed.incrementAndGet(); // reset by the client
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }

    Upstream(HttpServer server) throws IOException {
        this.server = server;
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        Thread.ofPlatform().daemon().start(this::acceptSilently);
    }

    static Upstream https(javax.net.ssl.SSLContext ssl) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        s.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(ssl));
        return new Upstream(s);
    }

    public String base() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        connections.add(ex.getRemoteAddress().getPort());
        URI uri = ex.getRequestURI();
        String path = uri.getPath();
        Map<String, String> query = query(uri.getRawQuery());
        try {
            switch (path) {
                case "/echo" -> echo(ex);
                case "/text" -> send(ex, 200, "text/plain", query.getOrDefault("body", "hello").getBytes(StandardCharsets.UTF_8));
                case "/status" -> send(ex, Integer.parseInt(query.get("code")), "text/plain", "status body".getBytes(StandardCharsets.UTF_8));
                case "/redirect" -> {
                    ex.getResponseHeaders().add("Location", query.get("to"));
                    drain(ex);
                    ex.sendResponseHeaders(Integer.parseInt(query.getOrDefault("code", "302")), -1);
                    ex.close();
                }
                case "/loop" -> {
                    int n = Integer.parseInt(query.get("n"));
                    ex.getResponseHeaders().add("Location", n <= 0 ? "/echo" : "/loop?n=" + (n - 1));
                    ex.sendResponseHeaders(302, -1);
                    ex.close();
                }
                case "/slow" -> {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(Long.parseLong(query.getOrDefault("ms", "200")));
                    } finally {
                        inside.decrementAndGet();
                    }
                    send(ex, 200, "text/plain", "slow".getBytes(StandardCharsets.UTF_8));
                }
                case "/held" -> {
                    held.incrementAndGet();
                    gate.await(30, TimeUnit.SECONDS);
                    send(ex, 200, "text/plain", "held".getBytes(StandardCharsets.UTF_8));
                }
                case "/hang" -> {
                    hold(ex);
                }
                case "/body-hang" -> {
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    out.write("first".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    hold(ex);
                }
                case "/gated" -> {
                    ex.getResponseHeaders().add("Content-Type", "text/plain");
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    out.write("before-".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    gate.await(30, TimeUnit.SECONDS);
                    out.write("after".getBytes(StandardCharsets.UTF_8));
                    out.close();
                }
                case "/release" -> {
                    gate.countDown();
                    send(ex, 200, "text/plain", "released".getBytes(StandardCharsets.UTF_8));
                }
                case "/big" -> {
                    long size = Long.parseLong(query.get("size"));
                    ex.sendResponseHeaders(200, size);
                    byte[] block = new byte[64 * 1024];
                    try (OutputStream out = ex.getResponseBody()) {
                        for (long left = size; left > 0; left -= block.length) {
                            out.write(block, 0, (int) Math.min(left, block.length));
                        }
                    }
                }
                case "/upload" -> {
                    lastUploadEncoding = ex.getRequestHeaders().getFirst("Transfer-Encoding");
                    long n = 0;
                    byte[] buf = new byte[64 * 1024];
                    InputStream in = ex.getRequestBody();
                    uploadProgress = 0;
                    for (int r; (r = in.read(buf)) > 0; ) {
                        n += r;
                        uploadProgress = n;
                    }
                    lastUploadBytes = n;
                    send(ex, 200, "text/plain", Long.toString(n).getBytes(StandardCharsets.UTF_8));
                }
                case "/gzip", "/deflate", "/br" -> {
                    byte[] text = query.getOrDefault("body", "compressed hello").repeat(
                            Integer.parseInt(query.getOrDefault("times", "1"))).getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Encoding", path.substring(1));
                    send(ex, 200, "text/plain", encode(path.substring(1), text));
                }
                case "/gone" -> send(ex, 200, "text/plain", Integer.toString(clientsGone.get()).getBytes(StandardCharsets.UTF_8));
                case "/progress" -> send(ex, 200, "text/plain", Long.toString(uploadProgress).getBytes(StandardCharsets.UTF_8));
                case "/port" -> send(ex, 200, "text/plain", Integer.toString(ex.getRemoteAddress().getPort()).getBytes(StandardCharsets.UTF_8));
                case "/reset" -> {
                    // answer with half a body and close: a truncated response
                    ex.sendResponseHeaders(200, 100);
                    ex.getResponseBody().write("short".getBytes(StandardCharsets.UTF_8));
                    ex.getResponseBody().flush();
                    ex.close();
                }
                default -> send(ex, 404, "text/plain", "no such endpoint".getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        }
    }

    private void hold(HttpExchange ex) throws InterruptedException {
        // wait for the client to go away (a write fails) or 30 s
        for (int i = 0; i < 300; i++) {
            Thread.sleep(100);
            try {
                if (ex.getResponseCode() < 0) {
                    ex.sendResponseHeaders(200, 0);
                }
                ex.getResponseBody().write(' ');
                ex.getResponseBody().flush();
            } catch (IOException gone) {
                clientsGone.incrementAndGet();
                return;
            }
        }
    }

    private void echo(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(", ", v)));
        StringBuilder json = new StringBuilder("{\"method\":").append(quote(ex.getRequestMethod()))
                .append(",\"body\":").append(quote(new String(body, StandardCharsets.UTF_8)))
                .append(",\"headers\":{");
        boolean first = true;
        for (var e : headers.entrySet()) {
            json.append(first ? "" : ",").append(quote(e.getKey())).append(':').append(quote(e.getValue()));
            first = false;
        }
        json.append("}}");
        send(ex, 200, "application/json", json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static void drain(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
    }

    static byte[] encode(String coding, byte[] text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (coding) {
            case "gzip" -> {
                try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                    z.write(text);
                }
            }
            case "deflate" -> {
                try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
                    z.write(text);
                }
            }
            case "br" -> {
                Brotli4jLoader.ensureAvailability();
                return Encoder.compress(text);
            }
            default -> throw new IllegalArgumentException(coding);
        }
        return out.toByteArray();
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        drain(ex);
        ex.getResponseHeaders().add("Content-Type", type);
        boolean noBody = status == 204 || status == 304 || "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, noBody ? -1 : body.length == 0 ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new TreeMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    @Override
    public void close() {
        gate.countDown();
        try {
            silent.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        server.stop(0);
        pool.shutdownNow();
    }
}
