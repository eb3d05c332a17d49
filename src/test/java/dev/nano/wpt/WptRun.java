package dev.nano.wpt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsErrors;
import dev.nano.engine.JsRuntime;
import dev.nano.engine.NanoEngine;
import dev.nano.testing.JsHarness;
import dev.nano.loop.EventLoop;

/**
 * Runs one {@link WptFile} in a fresh NANO context on its own thread, the way WPT runs an
 * {@code *.any.js} file in a dedicated worker: the runner shim, {@code /resources/testharness.js},
 * the {@code // META: script=}s, the test, then {@code done()}; then the event loop until the
 * harness completes. A file still running after its timeout is stopped and its context closed.
 */
final class WptRun {
    /** Name of the pseudo-subtest that carries a harness status other than OK. */
    static final String HARNESS = "(harness)";
    /**
     * The runs' own engine, as `nano serve --wasm-shared-memory` builds it: /common/sab.js makes its
     * SharedArrayBuffers through a shared WebAssembly.Memory, which NANO allows only when asked.
     */
    static final NanoEngine ENGINE = JsHarness.sharedWasmEngine();

    record Subtest(String name, String status, String message) {
        boolean passed() {
            return status.equals("PASS");
        }
    }

    /**
     * What one run gave: its subtests, plus {@link #HARNESS} when the harness itself ended in ERROR,
     * TIMEOUT or PRECONDITION_FAILED.
     *
     * @param millis wall time
     * @param cpuMillis CPU time of the file's thread (what the timeout counts)
     * @param absentFolders top-level WPT folders (e.g. {@code /media}) the file asked for resources
     *     from that this WPT checkout does not have: its results say nothing about NANO
     */
    record Result(WptFile file, List<Subtest> subtests, long millis, long cpuMillis, List<String> absentFolders) {
        long passed() {
            return subtests.stream().filter(Subtest::passed).count();
        }
    }

    private static final String SHIM = resource("wpt/runner-shim.js");
    /** What WPT's server maps elsewhere (its config.json "aliases"). */
    private static final Map<String, String> ALIASES = Map.of(
            "/resources/WebIDLParser.js", "/resources/webidl2/lib/webidl2.js");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long POLL_MILLIS = 200;
    /** A file that waits rather than computes stops after this many timeouts of wall time. */
    private static final long WALL_FACTOR = 4;
    /** After the timeout, how long the graceful {@code timeout()} may take before the context is killed. */
    private static final long GRACE_MILLIS = 3_000;

    private final Path root;
    private final WptFile file;
    private final long timeoutMillis;
    private final List<Subtest> subtests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> uncaught = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Set<String> absentFolders = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicReference<JsRuntime> runtime = new AtomicReference<>();
    private final EventLoop loop = new EventLoop();
    private volatile String harnessStatus;
    private volatile String harnessMessage;
    private volatile boolean idle;
    private volatile long lastCpuNanos;
    private Value shim;

    private WptRun(Path root, WptFile file, long timeoutMillis) {
        this.root = root;
        this.file = file;
        this.timeoutMillis = timeoutMillis;
    }

    static Result run(Path root, WptFile file, long timeoutMillis) {
        return new WptRun(root, file, timeoutMillis).run();
    }

    private Result run() {
        long start = System.nanoTime();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("wpt " + file.key()).daemon().start(() -> {
            try {
                runInContext();
                lastCpuNanos = THREADS.getCurrentThreadCpuTime();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        String failure = null;
        while (failure == null && !done.isDone()) {
            try {
                done.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (timedOut(thread, start)) {
                    failure = stopAfterTimeout(done, thread);
                }
            } catch (ExecutionException e) {
                failure = "runner error: " + e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
            }
        }
        List<Subtest> list = new ArrayList<>(subtests);
        String status = harnessStatus;
        String message = harnessMessage;
        if (status == null) {
            status = failure != null && failure.startsWith("TIMEOUT") ? "TIMEOUT" : "ERROR";
            message = failure != null ? failure : "the harness never completed";
        } else if (status.equals("TIMEOUT") && (message == null || message.isEmpty())) {
            message = failure != null ? failure
                    : idle ? "tests still pending when nothing was left to run (no timer, no I/O)" : "";
        }
        // Errors that escaped to the host: the harness only sees them through `error` events on the
        // global; without those events NANO cannot tell it, so the runner counts them as WPT would.
        if (status.equals("OK") && !uncaught.isEmpty() && !harnessSeesErrors()) {
            status = "ERROR";
            message = uncaught.get(0);
        }
        if (!status.equals("OK")) {
            if (!uncaught.isEmpty() && !uncaught.get(0).equals(message)) {
                message = (message == null || message.isEmpty() ? "" : message + "; ") + "first uncaught error: " + uncaught.get(0);
            }
            list.add(new Subtest(HARNESS, status, message == null ? "" : message));
        }
        closeQuietly();
        long cpuNanos = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(thread.threadId()) : -1;
        if (cpuNanos >= 0) {
            lastCpuNanos = cpuNanos; // -1 once the thread has ended: it recorded its own total
        }
        return new Result(file, List.copyOf(list), (System.nanoTime() - start) / 1_000_000, lastCpuNanos / 1_000_000,
                List.copyOf(new java.util.TreeSet<>(absentFolders)));
    }

    /**
     * The timeout counts the CPU time of the file's thread, so that a busy machine (other builds, a
     * parallel run) does not time out slow files; a file that waits without using CPU (e.g. on an
     * interval, for an event that never comes) stops at {@link #WALL_FACTOR} times the timeout.
     */
    private boolean timedOut(Thread thread, long startNanos) {
        long cpuNanos = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(thread.threadId()) : -1;
        if (cpuNanos >= 0) {
            lastCpuNanos = cpuNanos;
        }
        long wallNanos = System.nanoTime() - startNanos;
        long limit = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        return cpuNanos > limit || wallNanos > WALL_FACTOR * limit || (cpuNanos < 0 && wallNanos > limit);
    }

    /** Asks the harness to time out the pending tests; kills the context if even that hangs. */
    private String stopAfterTimeout(CompletableFuture<Void> done, Thread thread) {
        loop.execute(() -> callShim("timeout"));
        try {
            done.get(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            return "TIMEOUT: still running after " + limit() + "; the harness timed out what was pending";
        } catch (TimeoutException | ExecutionException | InterruptedException e) {
            loop.stop();
            closeQuietly(); // cancels JS that is still running (context.close(true))
            try {
                thread.join(GRACE_MILLIS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return "TIMEOUT: still running after " + limit() + "; context closed";
        }
    }

    private String limit() {
        return String.format("%.1f s of CPU (or %d times that of wall time)", timeoutMillis / 1000.0, WALL_FACTOR);
    }

    private void runInContext() throws IOException {
        JsRuntime rt = new JsRuntime(ENGINE, loop, null, (level, text) -> { });
        runtime.set(rt);
        rt.onUncaught(uncaught::add);
        loop.execute(() -> rt.runTask(this::loadScripts));
        loop.runUntilIdle();
        if (harnessStatus == null && !loop.isStopped()) {
            // Nothing left to wait for and tests still pending: the harness would wait forever.
            idle = true;
            loop.execute(() -> callShim("timeout"));
            loop.runUntilIdle();
        }
    }

    /** The order of WPT's *.any.worker.js wrapper; a script that throws ends the sequence. */
    private void loadScripts() {
        JsRuntime rt = runtime.get();
        shim = rt.evalScript(SHIM, "wpt:runner-shim.js").execute(new Host());
        try {
            shim.invokeMember("beforeHarness");
            evalFile("/resources/testharness.js");
            shim.invokeMember("afterHarness");
            for (String script : file.scripts()) {
                evalFile(script);
            }
            evalFile("/" + file.path());
        } catch (PolyglotException e) {
            if (e.isCancelled() || e.isInterrupted()) {
                throw e;
            }
            if (e.isGuestException() && e.getGuestObject() != null) {
                shim.invokeMember("reportError", e.getGuestObject());
            } else {
                uncaught.add(JsErrors.format(e));
            }
        } catch (RuntimeException e) { // e.g. a META script that does not exist
            uncaught.add("runner: " + e.getMessage());
        }
        shim.invokeMember("done");
    }

    private void callShim(String member) {
        JsRuntime rt = runtime.get();
        if (rt != null && shim != null) {
            rt.runTask(() -> shim.invokeMember(member));
        }
    }

    private void evalFile(String url) {
        Path path = resolve(url);
        if (path == null || !Files.isRegularFile(path)) {
            throw new IllegalStateException("WPT script not found: " + url + " (from " + file.path() + ")");
        }
        try {
            runtime.get().evalScript(Files.readString(path, StandardCharsets.UTF_8), "/" + root.relativize(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A URL of a test resource as a file: absolute paths from the WPT root, others relative to the
     * test file's folder; the query and fragment are dropped. Null when it leaves the WPT folder.
     */
    private Path resolve(String url) {
        String clean = url.replaceFirst("[?#].*$", "");
        clean = ALIASES.getOrDefault(clean, clean);
        Path base = clean.startsWith("/") ? root : root.resolve(file.path()).getParent();
        Path path = base.resolve(clean.startsWith("/") ? clean.substring(1) : clean).normalize();
        return path.startsWith(root) ? path : null;
    }

    /** True when NANO routes uncaught errors to `error` events on the global, where testharness.js listens. */
    private boolean harnessSeesErrors() {
        JsRuntime rt = runtime.get();
        try {
            return rt != null && rt.internal().hasMember("dispatchGlobalEvent")
                    && rt.context().getBindings("js").hasMember("addEventListener");
        } catch (RuntimeException closed) {
            return false;
        }
    }

    private void closeQuietly() {
        JsRuntime rt = runtime.get();
        if (rt != null) {
            try {
                rt.close();
            } catch (RuntimeException alreadyClosedOrBusy) {
                // closing a cancelled context can throw; it is discarded either way
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = WptRun.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the runner shim may ask of Java; only these methods are visible to JS. */
    public final class Host {
        @Export
        public String title() {
            return file.title();
        }

        /** The worker script's path, as WPT serves it ({@code /url/x.any.worker.js}). */
        @Export
        public String pathname() {
            return "/" + file.path().replaceFirst("\\.any\\.js$", ".any.worker.js");
        }

        @Export
        public String search() {
            return file.variant();
        }

        @Export
        public void importScript(String url) {
            evalFile(url);
        }

        @Export
        public boolean exists(String url) {
            Path path = resolve(url);
            boolean found = path != null && Files.isRegularFile(path);
            if (!found && path != null && !path.equals(root)) {
                // A missing file in a folder the checkout has may be the test's point (a 404); a
                // whole folder missing (the subset has no /media) means the test cannot run here.
                Path top = root.resolve(root.relativize(path).getName(0));
                if (!Files.isDirectory(top)) {
                    absentFolders.add("/" + top.getFileName());
                }
            }
            return found;
        }

        /** The file's text, decoded as UTF-8 (WPT's resources are UTF-8). */
        @Export
        public String readText(String url) throws IOException {
            return new String(readBytes(url), StandardCharsets.UTF_8);
        }

        @Export
        public byte[] readBytes(String url) throws IOException {
            Path path = resolve(url);
            if (path == null) {
                throw new IOException("outside the WPT folder: " + url);
            }
            return Files.readAllBytes(path);
        }

        @Export
        public void result(String name, String status, String message) {
            subtests.add(new Subtest(name, status, message));
        }

        @Export
        public void clearResults() {
            subtests.clear();
        }

        @Export
        public void complete(String status, String message) {
            harnessMessage = message;
            harnessStatus = status;
            loop.stop(); // leftover timers or intervals must not keep the file running
        }

        @Export
        public void uncaught(String text) {
            uncaught.add(text);
        }
    }
}
