package dev.nano.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code nano} CLI in a child JVM (this test JVM's class path), like a user would. */
public final class NanoProcess {
    public record Result(int exitCode, String stdout, String stderr) {}

    private NanoProcess() {}

    /**
     * The command that starts the {@code nano} CLI in a child JVM: this JVM's java and class path, the
     * options ./nano always gives, then {@code jvmOptions}; the CLI's arguments go after it.
     */
    public static List<String> javaCommand(List<String> jvmOptions) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java,
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                // as ./nano: Netty keeps its direct memory apart from the JDK's (Wasm's) pool
                "--add-opens", "java.base/java.nio=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.nano.cli.Main"));
        return cmd;
    }

    public static Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = javaCommand(List.of());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("nano-out", ".txt");
        Path err = Files.createTempFile("nano-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("nano " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Writes {@code code} to a temporary .js file and runs {@code nano run} on it. */
    public static Result runScript(String code) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("nano-run");
        Path file = dir.resolve("main.js");
        Files.writeString(file, code);
        return run(null, "run", file.toString());
    }
}
