package dev.nano.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A socket HTTP/1.1 client that reads a response piece by piece as it arrives (chunked or with a
 * length), and can send a request body while it reads: for the streaming tests, where
 * java.net.http would buffer or wait for the whole request to be sent first.
 */
final class StreamClient implements AutoCloseable {
    record Head(int status, Map<String, String> headers) {
        boolean chunked() {
            return "chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private long remaining = -1; // of the current chunk (or of a body with a length)
    private boolean chunked;
    private boolean ended;

    StreamClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    OutputStream out() throws IOException {
        return socket.getOutputStream();
    }

    void send(String text) throws IOException {
        out().write(text.getBytes(StandardCharsets.ISO_8859_1));
        out().flush();
    }

    /** Reads a response head; {@code noBody}: a HEAD request, whose response has no body whatever it says. */
    Head head(boolean noBody) throws IOException {
        String status;
        do {
            status = line();
            if (status == null) {
                throw new EOFException("the connection closed before a response");
            }
        } while (status.isEmpty());
        Map<String, String> headers = new LinkedHashMap<>();
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        Head head = new Head(Integer.parseInt(status.split(" ")[1]), headers);
        chunked = head.chunked();
        ended = noBody || head.status() == 204 || head.status() == 304 || head.status() < 200;
        remaining = chunked ? 0 : Long.parseLong(headers.getOrDefault("content-length", "-1"));
        if (!chunked && remaining == 0) {
            ended = true;
        }
        return head;
    }

    Head head() throws IOException {
        return head(false);
    }

    /**
     * Reads body bytes into {@code buf} as they arrive: the count, or -1 at the body's proper end.
     * A connection that closes before that end throws {@link EOFException} (a truncated body).
     */
    int read(byte[] buf, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        if (chunked && remaining == 0) {
            String size = line();
            if (size == null) {
                throw new EOFException("the body was cut off: no terminating chunk");
            }
            if (size.isEmpty()) { // the CRLF after the previous chunk's data
                size = line();
                if (size == null) {
                    throw new EOFException("the body was cut off: no terminating chunk");
                }
            }
            int semi = size.indexOf(';');
            remaining = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (remaining == 0) {
                while ((size = line()) != null && !size.isEmpty()) {
                    // trailers
                }
                ended = true;
                return -1;
            }
        }
        int want = remaining < 0 ? len : (int) Math.min(len, remaining);
        int n = in.read(buf, off, want);
        if (n < 0) {
            if (remaining < 0 && !chunked) { // a body delimited by the connection's end
                ended = true;
                return -1;
            }
            throw new EOFException("the body was cut off after its head");
        }
        if (remaining > 0) {
            remaining -= n;
            if (!chunked && remaining == 0) {
                ended = true;
            }
        }
        return n;
    }

    /** The rest of the body. */
    byte[] readAll() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = read(buf, 0, buf.length)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads until {@code text} has arrived in the body (for event streams); returns what was read. */
    String readUntil(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[256];
        while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
            int n = read(buf, 0, buf.length);
            if (n < 0) {
                throw new EOFException("the body ended before '" + text + "': " + out.toString(StandardCharsets.UTF_8));
            }
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        return RawClient.readLine(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
