package dev.nano.engine;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.IOAccess;

/**
 * What JS in a NANO context may touch: NANO's own ops (methods marked {@link HostAccess.Export}),
 * and reading the app's own module files. No Java classes, no Polyglot, no load/print, no other
 * files, no threads, no processes, no environment variables.
 *
 * <p>Every context gets exactly these options, so that all share the engine's compiled code.
 */
final class Sandbox {
    static final HostAccess HOST_ACCESS = HostAccess.newBuilder()
            .allowAccessAnnotatedBy(HostAccess.Export.class)
            .allowArrayAccess(true)
            .allowBufferAccess(true)
            .build();

    private static final PolyglotAccess JS_TO_WASM = PolyglotAccess.newBuilder()
            .allowEval("js", "wasm")
            .allowBindingsAccess("js")
            .allowBindingsAccess("wasm")
            .build();

    private Sandbox() {}

    /**
     * @param files the only files JS may read: its app's modules, once {@link ModuleFileSystem#bind bound}
     * @param sharedWasmMemory see {@link NanoEngine#sharedWasmMemory()}
     */
    static Context newContext(Engine engine, ModuleFileSystem files, boolean sharedWasmMemory) {
        IOAccess io = IOAccess.newBuilder()
                .fileSystem(files)
                .build();
        // "wasm" is permitted only so that JS's WebAssembly global can compile and run modules
        // (GraalJS reaches GraalWasm through polyglot eval and bindings, js -> wasm only). GraalWasm
        // gets no WASI or other built-in host modules (wasm.Builtins is empty by default).
        Context.Builder builder = Context.newBuilder("js", "wasm")
                .engine(engine)
                .allowHostAccess(HOST_ACCESS)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowNativeAccess(false)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowPolyglotAccess(JS_TO_WASM)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowIO(io)
                .allowExperimentalOptions(true)
                // staging: this year's finished proposals that V8, and so Workers, already ship
                // (Array.fromAsync, Error.isError, Uint8Array.fromBase64/toBase64/toHex, Atomics.pause);
                // "latest" stops at ES2025.
                .option("js.ecmascript-version", "staging")
                // V8's stack trace API (Error.captureStackTrace, prepareStackTrace, stackTraceLimit), which
                // npm packages written for Node and Workers call.
                .option("js.stack-trace-api", "true")
                .option("js.esm-eval-returns-exports", "true")
                // Reported through the hook that the bootstrap installs (and then hides).
                .option("js.unhandled-rejections", "handler")
                .option("js.graal-builtin", "true")
                // NANO defines these globals itself, to the Web standards.
                .option("js.console", "false")
                .option("js.performance", "false")
                .option("js.print", "false")
                .option("js.load", "false")
                .option("js.polyglot-builtin", "false")
                .option("js.java-package-globals", "false")
                .option("js.global-arguments", "false")
                .option("js.webassembly", "true");
        if (sharedWasmMemory) {
            // GraalWasm makes shared memories (and runs the threads proposal's atomics) only with
            // its off-heap memory: direct ByteBuffers, capped process-wide by -XX:MaxDirectMemorySize.
            builder.option("wasm.UseUnsafeMemory", "true").option("wasm.Threads", "true");
        }
        return builder.build();
    }
}
