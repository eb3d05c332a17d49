package dev.nano.engine;

import java.io.OutputStream;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.graalvm.polyglot.Engine;

/**
 * The one GraalJS {@link Engine} of a NANO process. Every context is created on it, so code parsed
 * and compiled from the same {@code Source} (NANO's bootstrap, an app's modules) is shared by all.
 */
public final class NanoEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NanoEngine.class.getName());

    private final Engine engine;
    private final boolean optimizing;
    private final Bootstrap bootstrap;
    private final boolean sharedWasmMemory;

    public NanoEngine() {
        this(Bootstrap.extensions(), false);
    }

    /**
     * @param sharedWasmMemory let apps make shared WebAssembly memories (and so SharedArrayBuffers
     *     through them). GraalWasm has those only as off-heap memory, which the per-app memory budget
     *     and heap-pressure eviction do not see, so it is an operator's choice ({@code
     *     --wasm-shared-memory}); off, every Wasm memory is a byte array on the bounded Java heap.
     */
    public NanoEngine(boolean sharedWasmMemory) {
        this(Bootstrap.extensions(), sharedWasmMemory);
    }

    /** An engine whose contexts load only {@code extensions} (benchmarks measure them one by one). */
    public NanoEngine(List<Extension> extensions) {
        this(extensions, false);
    }

    private NanoEngine(List<Extension> extensions, boolean sharedWasmMemory) {
        this.engine = buildEngine();
        this.optimizing = detectOptimizingRuntime(engine);
        this.bootstrap = new Bootstrap(extensions);
        this.sharedWasmMemory = sharedWasmMemory;
    }

    /**
     * Code that runs once per context, which Truffle must never compile (engine.CompileOnly
     * excludes call targets whose name contains one of these). Truffle counts calls over all
     * contexts of the engine, so each bootstrap script's wrapper function, and each script's and
     * module's top level, reach the compilation threshold after about a thousand contexts: then every
     * new app set off compilations of ~1 s each (plus HotSpot compiling the Graal compiler for them),
     * for code that would never run again in that context. Measured after 1,500 apps
     * (bench/README.md): 37 -> 14 ms of server CPU per new app. {@code -Dnano.engine.compileOnly}
     * replaces the list (Truffle's syntax: comma-separated names, {@code ~} to exclude).
     */
    static final String RUN_ONCE_CODE = "~" + Bootstrap.WRAPPER + ",~:program,~ParsedProgramRoot";

    private static Engine buildEngine() {
        OutputStream log = logTarget();
        try {
            // Warm-up matters more than peak on small machines. Compiler options exist only when the
            // optimizing runtime is loaded, so the interpreter-only fallback is built without them.
            // -Dnano.engine.mode=default: Truffle's multi-tier mode (inlining, splitting), ~10% less
            // CPU per hello-world request once warm, for longer compiling (bench/README.md).
            return engineBuilder(log)
                    .option("engine.Mode", System.getProperty("nano.engine.mode", "latency"))
                    .option("engine.CompileOnly", System.getProperty("nano.engine.compileOnly", RUN_ONCE_CODE))
                    .allowExperimentalOptions(DIAGNOSTIC_LOG != null)
                    .build();
        } catch (IllegalArgumentException noCompilerOptions) {
            return engineBuilder(log).build();
        }
    }

    private static Engine.Builder engineBuilder(OutputStream log) {
        return Engine.newBuilder("js", "wasm")
                // We report the JIT state ourselves, in one line, at start-up.
                .option("engine.WarnInterpreterOnly", "false")
                .logHandler(log);
    }

    /**
     * {@code -Dnano.engine.log=file}: the engine's log (Truffle's compilation and deoptimization
     * traces, asked for with {@code -Dpolyglot.engine.TraceCompilation=true} and the like, which
     * this also allows) goes to that file instead of nowhere. For diagnosis only.
     */
    private static final String DIAGNOSTIC_LOG = System.getProperty("nano.engine.log");

    private static OutputStream logTarget() {
        if (DIAGNOSTIC_LOG == null) {
            return OutputStream.nullOutputStream();
        }
        try {
            return new java.io.FileOutputStream(DIAGNOSTIC_LOG, true);
        } catch (java.io.FileNotFoundException e) {
            throw new java.io.UncheckedIOException("nano.engine.log: " + e.getMessage(), e);
        }
    }

    public Engine polyglotEngine() {
        return engine;
    }

    public Bootstrap bootstrap() {
        return bootstrap;
    }

    /** Whether contexts may make shared (off-heap) WebAssembly memories; see the constructor. */
    public boolean sharedWasmMemory() {
        return sharedWasmMemory;
    }

    /** True when Truffle compiles JS to machine code (the Graal JIT is on the upgrade module path). */
    public boolean isOptimizing() {
        return optimizing;
    }

    public String describeRuntime() {
        return optimizing
                ? "JIT: optimizing Graal compiler active (" + engine.getImplementationName() + ")"
                : "JIT: OFF, JavaScript runs interpreted and will be 10-20x slower ("
                        + engine.getImplementationName() + "); start through ./nano, or unset NANO_JIT=0";
    }

    /** Logs the runtime mode once; a production run without the JIT gets a loud warning. */
    public void logRuntimeMode() {
        LOG.log(optimizing ? Level.INFO : Level.WARNING, describeRuntime());
    }

    private static boolean detectOptimizingRuntime(Engine engine) {
        // "Interpreted" is the fallback runtime's name; the optimizing one is e.g. "GraalVM CE" / "Oracle GraalVM".
        String name = engine.getImplementationName();
        return name != null && !name.toLowerCase().contains("interpreted");
    }

    @Override
    public void close() {
        engine.close();
    }
}
