package dev.nano.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.nano.testing.NanoProcess;

/** {@code nano serve ...} in a child JVM, as an operator runs it: started, asked to stop by a signal. */
final class ServeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");

    final Process process;
    final Path stdout;
    final StringBuffer stderr = new StringBuffer();
    final int port;
    private final Thread errReader;

    ServeProcess(String... args) throws IOException, InterruptedException {
        this(List.of(), args);
    }

    /** With extra JVM options, e.g. a small heap. */
    ServeProcess(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> cmd = NanoProcess.javaCommand(jvmOptions);
        cmd.add("serve");
        cmd.addAll(List.of(args));
        stdout = Files.createTempFile("nano-serve-out", ".txt");
        process = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).start();
        int found = -1;
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while (found < 0 && System.nanoTime() < deadline && (line = err.readLine()) != null) {
            stderr.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                found = Integer.parseInt(m.group(1));
            }
        }
        port = found;
        errReader = Thread.ofPlatform().daemon(true).start(() -> {
            try {
                String l;
                while ((l = err.readLine()) != null) {
                    stderr.append(l).append('\n');
                }
            } catch (IOException e) {
                // process gone
            }
        });
        if (port < 0) {
            process.destroyForcibly();
            throw new AssertionError("nano serve did not start:\n" + stderr);
        }
    }

    /** Waits up to 10 s for {@code text} on stderr. */
    boolean awaitStderr(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!stderr.toString().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return stderr.toString().contains(text);
    }

    /** SIGTERM, then the exit code. */
    int terminate() throws InterruptedException {
        process.toHandle().destroy(); // unlike Process.destroy(), leaves the pipes open: stderr is read to the end
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("nano serve did not exit after SIGTERM:\n" + stderr);
        }
        errReader.join(5000); // the rest of stderr
        return process.exitValue();
    }

    String stdout() throws IOException {
        return Files.readString(stdout);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(stdout);
    }
}
