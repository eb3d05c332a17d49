package dev.nano.apps;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.nano.engine.ConsoleSink;

/**
 * The server's machine-readable log: one JSON object per line, on stdout by default. Each line has
 * {@code time} (ISO-8601, UTC) and {@code type}:
 * <ul>
 *   <li>{@code request}: app, method, host, path (without the query), status, ms, bytes</li>
 *   <li>{@code console}: app, level, message (the app's console output)</li>
 *   <li>{@code error}: app, kind (load, exception, response, uncaught, timeout), message (with stack)</li>
 * </ul>
 * NANO's own messages for the operator (start-up, reloads, config errors) go to stderr as text.
 * Lines are written by a background thread so that a slow terminal never holds up a worker.
 */
public final class EventLog implements AutoCloseable {
    private final Consumer<String> sink;
    private final boolean requests;

    /** @param requests whether to log one line per request */
    public EventLog(Consumer<String> sink, boolean requests) {
        this.sink = sink;
        this.requests = requests;
    }

    /** A log written to {@code out} by a background thread. */
    public static EventLog async(OutputStream out, boolean requests) {
        return new EventLog(new AsyncWriter(out), requests);
    }

    public void request(String app, String method, String host, String path, int status, double millis, long bytes) {
        if (!requests) {
            return;
        }
        RequestLine line = new RequestLine(System.currentTimeMillis(), app, method, host, path, status, millis, bytes);
        if (sink instanceof AsyncWriter w) {
            w.accept(line); // formatted on the writer thread, straight into its output buffer
        } else {
            StringBuilder b = new StringBuilder(192);
            line.format(b);
            sink.accept(b.toString());
        }
    }

    /** One request, as the worker saw it: the writer thread makes the JSON line of it. */
    record RequestLine(long time, String app, String method, String host, String path, int status, double millis,
                       long bytes) {
        void format(StringBuilder b) {
            begin(b, time, "request");
            field(b, "app", app);
            field(b, "method", method);
            field(b, "host", host);
            field(b, "path", path);
            b.append(",\"status\":").append(status);
            b.append(",\"ms\":");
            appendMillis(b, millis);
            b.append(",\"bytes\":").append(bytes).append('}');
        }
    }

    public void console(String app, ConsoleSink.Level level, String message) {
        StringBuilder b = begin("console");
        field(b, "app", app);
        field(b, "level", level.name().toLowerCase(Locale.ROOT));
        field(b, "message", message);
        sink.accept(b.append('}').toString());
    }

    public void error(String app, String kind, String message) {
        StringBuilder b = begin("error");
        field(b, "app", app);
        field(b, "kind", kind);
        field(b, "message", message);
        sink.accept(b.append('}').toString());
    }

    /** The console sink of one app's contexts: its output becomes {@code console} lines tagged with it. */
    public ConsoleSink consoleOf(String app) {
        return (level, text) -> console(app, level, text);
    }

    // Written by hand rather than with a JSON library: this runs once per request (on the log thread).
    private static StringBuilder begin(String type) {
        return begin(new StringBuilder(192), System.currentTimeMillis(), type);
    }

    private static StringBuilder begin(StringBuilder b, long time, String type) {
        b.append("{\"time\":\"").append(Clock.format(time)).append("\",\"type\":\"").append(type).append('"');
        return b;
    }

    /**
     * {@code millis} rounded to 3 decimals, as {@code Double.toString} writes it ("0.008", "12.0",
     * "1.25"), without its general (and per request, measurable) double-to-decimal conversion: a
     * number of thousandths below 10^7 ms has no shorter decimal that is the same double.
     */
    static void appendMillis(StringBuilder b, double millis) {
        long thousandths = Math.round(millis * 1000);
        if (thousandths < 0 || thousandths >= 10_000_000_000L) {
            b.append(thousandths / 1000.0); // Double.toString switches to E notation from 10^7
            return;
        }
        b.append(thousandths / 1000).append('.');
        int frac = (int) (thousandths % 1000);
        if (frac == 0) {
            b.append('0');
        } else {
            b.append((char) ('0' + frac / 100));
            if (frac % 100 != 0) {
                b.append((char) ('0' + frac / 10 % 10));
                if (frac % 10 != 0) {
                    b.append((char) ('0' + frac % 10));
                }
            }
        }
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        if (plain(value)) { // the usual case (app names, methods, hosts, paths): copied at once
            b.append(value).append('"');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** True when no character of {@code value} needs escaping in a JSON string. */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029) {
                return false;
            }
        }
        return true;
    }

    /** ISO-8601 UTC time with milliseconds, formatted once per millisecond. */
    private static final class Clock {
        private record Cached(long millis, String text) {}

        private static volatile Cached cached = new Cached(-1, "");

        static String format(long ms) {
            Cached c = cached;
            if (c.millis != ms) {
                c = new Cached(ms, Instant.ofEpochMilli(ms).toString());
                cached = c;
            }
            return c.text;
        }
    }

    /** Waits (briefly) until every line logged so far is written. */
    public void flush() {
        if (sink instanceof AsyncWriter w) {
            w.flush();
        }
    }

    @Override
    public void close() {
        if (sink instanceof AsyncWriter w) {
            w.close();
        }
    }

    /**
     * Writes lines from a queue on one daemon thread that polls (every {@link #POLL_MILLIS} ms, every
     * millisecond while lines come fast) instead of being woken per line: a wake-up per request would
     * cost a context switch. After {@link #DOZE_AFTER_POLLS} empty polls it dozes until the next line
     * wakes it, so that an idle server does not wake it 100 times a second.
     */
    static final class AsyncWriter implements Consumer<String> {
        static final long POLL_MILLIS = 10;
        /** After a batch of at least this many lines, the next poll comes sooner: {@link #BUSY_POLL_NANOS}. */
        static final int BUSY_LINES = 64;
        static final long BUSY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
        static final int DOZE_AFTER_POLLS = 10;
        private static final int MAX_QUEUED = 100_000;
        private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>(); // String | RequestLine
        private final AtomicLong queued = new AtomicLong();
        private final LineBuffer out; // the writer thread's
        private final Thread thread;
        private volatile long written;
        private volatile boolean closing;
        private volatile boolean dozing;

        AsyncWriter(OutputStream out) {
            this.out = new LineBuffer(out);
            this.thread = Thread.ofPlatform().name("nano-log").daemon(true).start(this::run);
        }

        @Override
        public void accept(String line) {
            enqueue(line);
        }

        void accept(RequestLine line) {
            enqueue(line);
        }

        private void enqueue(Object line) {
            long n = queued.incrementAndGet();
            queue.add(line);
            if (dozing) { // read after the add: see run()
                dozing = false;
                LockSupport.unpark(thread);
            }
            if (n - written > MAX_QUEUED) { // far behind: slow the producers rather than lose lines
                LockSupport.unpark(thread);
                while (queued.get() - written > MAX_QUEUED && thread.isAlive()) {
                    LockSupport.parkNanos(100_000);
                }
            }
        }

        private void run() {
            try {
                int emptyPolls = 0;
                while (true) {
                    long n = 0;
                    Object next;
                    while ((next = queue.poll()) != null) {
                        if (next instanceof RequestLine r) {
                            out.request(r); // formatted straight into the output bytes
                        } else {
                            out.line((String) next);
                        }
                        n++;
                    }
                    if (n > 0) {
                        out.flush();
                        written += n;
                        emptyPolls = 0;
                        if (n >= BUSY_LINES) {
                            // Lines come fast: write them in small batches. This thread shares a core with
                            // the workers, and a 10 ms batch at ~100k requests/s held a worker off its
                            // core for ~0.6 ms, with every request in flight (the p99 band of hello world).
                            LockSupport.parkNanos(BUSY_POLL_NANOS);
                        }
                    } else if (closing) {
                        return;
                    } else if (++emptyPolls < DOZE_AFTER_POLLS) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
                    } else {
                        // The flag is set before the queue is looked at again, and enqueue adds before it
                        // reads the flag: a line added meanwhile is seen here, or its enqueue wakes us.
                        dozing = true;
                        if (queue.isEmpty() && !closing) {
                            LockSupport.park(this);
                        }
                        dozing = false;
                        emptyPolls = 0;
                    }
                }
            } catch (IOException e) {
                // stdout is gone: nothing left to log to
            }
        }

        void flush() {
            long target = queued.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (written < target && thread.isAlive() && System.nanoTime() < deadline) {
                LockSupport.unpark(thread);
                LockSupport.parkNanos(1_000_000);
            }
        }

        void close() {
            flush();
            closing = true;
            LockSupport.unpark(thread);
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
