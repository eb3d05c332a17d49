import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.nano.engine.ConsoleSink;
import dev.nano.engine.JsRuntime;
import dev.nano.engine.NanoEngine;
import dev.nano.loop.EventLoop;

/**
 * Measures what one more context costs on NANO's shared engine, with the whole bootstrap loaded:
 * creation time (median after warm-up) and retained heap per live context, untouched and after
 * the context has used each API family. Run through bench/context-cost.sh (JIT on and off).
 */
public class ContextCost {
    /** Touches every API family once, so that lazily built state is counted too. */
    static final String TOUCH = """
            (() => {
              const steps = [
                () => new URL('https://example.com/a?b=c').searchParams.get('b'),
                () => new TextDecoder().decode(new TextEncoder().encode('x')),
                () => new Response('x', { headers: new Headers({ a: 'b' }) }),
                () => new Request('https://example.com/'),
                () => new FormData().append('a', new Blob(['x'])),
                () => new AbortController().abort(),
                () => structuredClone({ a: [1, new Map()] }),
                () => atob(btoa('x')),
                () => new EventTarget().dispatchEvent(new Event('x')),
                () => performance.now(),
                () => setTimeout(() => {}, 0),
              ];
              let failed = [];
              for (const step of steps) { try { step(); } catch (e) { failed.push(String(step).slice(6) + ': ' + e); } }
              return failed.join('; ');
            })()
            """;

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        try (NanoEngine engine = new NanoEngine()) {
            System.out.println(engine.describeRuntime());
            EventLoop loop = new EventLoop();
            ConsoleSink quiet = (level, text) -> {};
            for (int i = 0; i < 100; i++) {
                new JsRuntime(engine, loop, null, quiet).close(); // warm-up: parse, compile the bootstrap
            }
            long[] micros = new long[n];
            List<JsRuntime> live = new ArrayList<>();
            long before = usedHeapAfterGc();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                live.add(new JsRuntime(engine, loop, null, quiet));
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
            long untouched = usedHeapAfterGc();
            String failed = "";
            for (JsRuntime rt : live) {
                failed = rt.evalScript(TOUCH, "touch.js").asString();
            }
            if (!failed.isEmpty()) {
                System.out.println("not touched (missing APIs): " + failed);
            }
            long touched = usedHeapAfterGc();
            Arrays.sort(micros);
            System.out.printf("contexts: %d live, bootstrap scripts: %d%n", n, engine.bootstrap().scripts().size());
            System.out.printf("create time: median %.2f ms, p90 %.2f ms%n", micros[n / 2] / 1000.0, micros[n * 9 / 10] / 1000.0);
            System.out.printf("heap per context: untouched %.1f KB, after touching every API %.1f KB%n",
                    (untouched - before) / 1024.0 / n, (touched - before) / 1024.0 / n);
            live.forEach(JsRuntime::close);
        }
    }

    static long usedHeapAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return mem.getHeapMemoryUsage().getUsed();
    }
}
