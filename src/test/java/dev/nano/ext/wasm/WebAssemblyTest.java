package dev.nano.ext.wasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nano.testing.JsHarness;

/** The WebAssembly global (GraalWasm): compile, instantiate, call both ways, memory, and no host access. */
class WebAssemblyTest {
    // (module (import "env" "log" (func $log (param i32))) (memory (export "mem") 1 2)
    //   (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    //   (func (export "callLog") (param i32) local.get 0 call $log))
    static final String MODULE = """
            const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,11,2,96,2,127,127,1,127,96,1,127,0,
              2,11,1,3,101,110,118,3,108,111,103,0,1,3,3,2,0,1,5,4,1,1,1,2,7,23,3,3,109,101,109,2,0,
              3,97,100,100,0,1,7,99,97,108,108,76,111,103,0,2,10,16,2,7,0,32,0,32,1,106,11,6,0,32,0,
              16,0,11]);
            """;

    private static String run(String code) {
        return JsHarness.runChecked(code);
    }

    @Test
    void modulesCompileInstantiateAndCallBothWays() {
        String out = run(MODULE + """
                console.log(WebAssembly.validate(bytes), WebAssembly.validate(new Uint8Array([1, 2, 3])));
                WebAssembly.instantiate(bytes, { env: { log: (n) => console.log('from wasm', n) } }).then(({ module, instance }) => {
                  console.log(module instanceof WebAssembly.Module, instance.exports.add(40, 2));
                  instance.exports.callLog(7);
                  const mem = instance.exports.mem;
                  console.log(mem.buffer.byteLength, mem.grow(1), mem.buffer.byteLength);
                  try { mem.grow(1); } catch (e) { console.log(e.name); }
                  console.log(JSON.stringify(WebAssembly.Module.exports(module)));
                });
                """);
        assertEquals("""
                true false
                true 42
                from wasm 7
                65536 1 131072
                RangeError
                [{"name":"mem","kind":"memory"},{"name":"add","kind":"function"},{"name":"callLog","kind":"function"}]""", out);
    }

    @Test
    void badModulesAndMissingImportsRejectWithWebAssemblyErrors() {
        String out = run(MODULE + """
                WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 9])).catch((e) => console.log(e instanceof WebAssembly.CompileError));
                WebAssembly.instantiate(bytes, {}).catch((e) => console.log(e.constructor.name));
                """);
        assertEquals("true\nTypeError", out);
    }

    @Test
    void importingAWasmFileGivesAModuleAsInWorkers(@TempDir Path dir) throws Exception {
        String list = MODULE.substring(MODULE.indexOf('[') + 1, MODULE.lastIndexOf(']')).replaceAll("\\s", "");
        String[] parts = list.split(",");
        byte[] wasm = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            wasm[i] = (byte) Integer.parseInt(parts[i]);
        }
        Files.write(dir.resolve("add.wasm"), wasm);
        try (JsHarness js = new JsHarness(dir)) {
            String out = js.run("""
                    import mod from '%1$s/add.wasm';
                    import again from '%1$s/add.wasm';
                    const instance = new WebAssembly.Instance(mod, { env: { log() {} } });
                    console.log(mod instanceof WebAssembly.Module, mod === again, instance.exports.add(2, 3));
                    """.formatted(dir.toAbsolutePath()));
            assertEquals("true true 5", out, js.uncaught().toString());
        }
    }

    @Test
    void wasmGetsNoHostModules() {
        // (module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))))
        String out = run("""
                const wasi = new Uint8Array([0,97,115,109,1,0,0,0,1,5,1,96,1,127,0,2,36,1,22,119,97,115,105,
                  95,115,110,97,112,115,104,111,116,95,112,114,101,118,105,101,119,49,9,112,114,111,99,95,101,
                  120,105,116,0,0]);
                WebAssembly.instantiate(wasi, {}).then(() => console.log('instantiated'), (e) => console.log(e.constructor.name));
                console.log(typeof Polyglot, typeof Java);
                """);
        assertEquals("undefined undefined\nTypeError", out);
    }

    static final String SHARED = """
            let made;
            try {
              const m = new WebAssembly.Memory({ shared: true, initial: 1, maximum: 4 });
              const ints = new Int32Array(m.buffer);
              Atomics.add(ints, 0, 41);
              made = m.buffer.constructor.name + " " + Atomics.add(ints, 0, 1) + " " + Atomics.load(ints, 0);
            } catch (e) {
              made = e.name;
            }
            console.log(made);
            """;

    @Test
    void sharedMemoriesAreRefusedUnlessTheOperatorAllowsThem() {
        assertEquals("RangeError", run(SHARED));
    }

    @Test
    void anUncaughtRefusalTellsTheOperatorWhichFlagAllowsSharedMemories() {
        try (JsHarness js = new JsHarness()) {
            js.run("new WebAssembly.Memory({ shared: true, initial: 1, maximum: 1 });");
            assertEquals(1, js.uncaught().size(), js.uncaught().toString());
            String reported = js.uncaught().get(0);
            assertTrue(reported.startsWith("Uncaught RangeError"), reported);
            assertTrue(reported.contains("start it with --wasm-shared-memory"), reported);
        }
    }

    @Test
    void withWasmSharedMemoryAWebAssemblyMemoryGivesASharedArrayBuffer() {
        try (JsHarness js = new JsHarness(JsHarness.sharedWasmEngine(), null)) {
            assertEquals("SharedArrayBuffer 41 42", js.run(SHARED));
            assertEquals("[]", js.uncaught().toString());
        }
    }
}
