package dev.nano.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.nano.engine.ConsoleSink;
import dev.nano.engine.JsRuntime;
import dev.nano.engine.NanoEngine;
import dev.nano.loop.EventLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nano run FILE}: evaluates FILE as an ES module and runs its event loop until nothing is
 * left to do. Exit code 1 on an uncaught exception or unhandled rejection, as Deno does.
 */
@Command(name = "run", description = "Run a JavaScript module (use - to read it from stdin).")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the module to run, or - for stdin")
    String file;

    @Option(names = "--wasm-shared-memory", negatable = false, description = "allow shared WebAssembly memories (off the Java heap)")
    boolean wasmSharedMemory;

    @Override
    public Integer call() throws IOException {
        boolean stdin = "-".equals(file);
        Path path = stdin ? null : Path.of(file).toAbsolutePath().normalize();
        if (path != null && !Files.isRegularFile(path)) {
            System.err.println("error: Module not found: " + file);
            return 1;
        }
        String code = stdin ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : null;

        try (NanoEngine engine = new NanoEngine(wasmSharedMemory)) {
            engine.logRuntimeMode();
            EventLoop loop = new EventLoop();
            // Imports in script mode may read any local file, as in Deno, where static imports need no permission.
            JsRuntime runtime = new JsRuntime(engine, loop, Path.of("/"), ConsoleSink.terminal());
            int[] exitCode = {0};
            runtime.onUncaught(message -> {
                System.err.println("error: " + message);
                exitCode[0] = 1;
                loop.stop();
            });
            loop.execute(() -> runtime.runTask(() -> {
                if (stdin) {
                    runtime.evalModule(code, Path.of("").toAbsolutePath().resolve("$stdin.js").toString());
                } else {
                    runtime.evalModule(path);
                }
            }));
            loop.runUntilIdle();
            runtime.close();
            return exitCode[0];
        }
    }
}
