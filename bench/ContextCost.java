import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.management.ObjectName;

import dev.nano.engine.Bootstrap;

import dev.nano.engine.ConsoleSink;
import dev.nano.engine.JsRuntime;
import dev.nano.engine.NanoEngine;
import dev.nano.loop.EventLoop;

/**
 * Measures what one more context costs on NANO's shared engine, with the whole bootstrap loaded:
 * creation time (median after warm-up) and retained heap per live context, untouched and after
 * the context has used each API family. Run through bench/context-cost.sh (JIT on and off).
 * With {@code --by-script}: the heap each bootstrap script adds to a context (every script is run in
 * all live contexts, then the heap is measured), and the classes that make up a context's heap.
 * With {@code --cpu-by-script W}: the thread CPU time of each bootstrap script (and of the empty
 * context) per context, over {@code contexts} contexts built one after another after {@code W} not
 * counted: how far the JIT has warmed up context building by then (e.g. W = 300 vs 1500).
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

    /**
     * What serving one hello-world request does in a context (http/00_dispatch.js: the Request made
     * from the header lines, the handler's Response, its parts read out), given {@code internal}.
     */
    static final String HELLO = """
            (function (internal) {
              const request = internal.fetch.newRequest('GET', 'http://app.localhost/', 'host\\napp.localhost\\naccept\\n*/*', null);
              const response = new Response('Hello');
              return internal.fetch.responseOut(response).status + (request.method === 'GET' ? 0 : 1);
            })
            """;

    /** A typical handler on top: the URL parsed, a header read, a JSON response with a header. */
    static final String TYPICAL = """
            (function (internal) {
              const request = internal.fetch.newRequest('GET', 'http://app.localhost/a/b?x=1', 'host\\napp.localhost\\nuser-agent\\ncurl', null);
              const url = new URL(request.url);
              const body = { path: url.pathname, x: url.searchParams.get('x'), ua: request.headers.get('user-agent') };
              const response = Response.json(body, { headers: { 'cache-control': 'no-store' } });
              return internal.fetch.responseOut(response).status;
            })
            """;

    /** The globals still lazy (accessors that build their API on first access), comma-separated. */
    static final String LAZY_GLOBALS = """
            Object.getOwnPropertyNames(globalThis).filter((k) => {
              const d = Object.getOwnPropertyDescriptor(globalThis, k);
              return d.get !== undefined && d.set !== undefined && k !== 'self';
            }).join(',')
            """;

    /** Runs {@code code} (a function of internal) in every context; prints the lazy globals it built. */
    static void step(List<JsRuntime> live, String code, String what) {
        List<String> lazy = List.of(live.get(0).evalScript(LAZY_GLOBALS, "lazy.js").asString().split(","));
        for (JsRuntime rt : live) {
            rt.context().eval("js", code).execute(rt.internal());
        }
        List<String> still = List.of(live.get(0).evalScript(LAZY_GLOBALS, "lazy.js").asString().split(","));
        System.out.printf("%s built: %s%n", what, lazy.stream().filter(k -> !still.contains(k)).toList());
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        if (args.length > 1 && args[1].equals("--by-script")) {
            byScript(n);
            return;
        }
        if (args.length > 2 && args[1].equals("--cpu-by-script")) {
            cpuByScript(Integer.parseInt(args[2]), n);
            return;
        }
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
            long cpu0 = processCpuNanos();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                live.add(new JsRuntime(engine, loop, null, quiet));
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
            double cpuPerContext = (processCpuNanos() - cpu0) / 1e6 / n; // compiler and GC threads included
            long untouched = usedHeapAfterGc();
            step(live, HELLO, "a hello-world request");
            long hello = usedHeapAfterGc();
            step(live, TYPICAL, "a typical handler");
            long typical = usedHeapAfterGc();
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
            System.out.printf("create time: median %.2f ms, p90 %.2f ms; process CPU %.2f ms per context%n",
                    micros[n / 2] / 1000.0, micros[n * 9 / 10] / 1000.0, cpuPerContext);
            System.out.printf("heap per context: untouched %.1f KB, after a hello-world request %.1f KB, after a typical"
                    + " handler %.1f KB, after touching every API %.1f KB%n", (untouched - before) / 1024.0 / n,
                    (hello - before) / 1024.0 / n, (typical - before) / 1024.0 / n, (touched - before) / 1024.0 / n);
            live.forEach(JsRuntime::close);
        }
    }

    /** Runs the bootstrap script by script across {@code n} contexts, measuring the heap after each. */
    static void byScript(int n) throws Exception {
        List<Bootstrap.Script> scripts;
        try (NanoEngine full = new NanoEngine()) {
            scripts = full.bootstrap().scripts(); // Sources belong to no engine: reused on the bare one
        }
        try (NanoEngine bare = new NanoEngine(List.of())) {
            System.out.println(bare.describeRuntime());
            EventLoop loop = new EventLoop();
            ConsoleSink quiet = (level, text) -> {};
            for (int i = 0; i < 100; i++) {
                JsRuntime rt = new JsRuntime(bare, loop, null, quiet);
                scripts.forEach(s -> run(rt, s));
                rt.close();
            }
            Map<String, long[]> histoBefore = histogram();
            long before = usedHeapAfterGc();
            List<JsRuntime> live = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                live.add(new JsRuntime(bare, loop, null, quiet));
            }
            long prev = usedHeapAfterGc();
            System.out.printf("%-40s %8.1f KB%n", "(empty context + internal object)", (prev - before) / 1024.0 / n);
            for (Bootstrap.Script script : scripts) {
                live.forEach(rt -> run(rt, script));
                long now = usedHeapAfterGc();
                System.out.printf("%-40s %8.1f KB%n", script.source().getName(), (now - prev) / 1024.0 / n);
                prev = now;
            }
            System.out.printf("%-40s %8.1f KB%n", "total per context", (prev - before) / 1024.0 / n);
            Map<String, long[]> histoAfter = histogram();
            step(live, HELLO, "a hello-world request");
            long hello = usedHeapAfterGc();
            System.out.printf("%-40s %8.1f KB%n", "+ a hello-world request", (hello - prev) / 1024.0 / n);
            step(live, TYPICAL, "a typical handler");
            System.out.printf("%-40s %8.1f KB%n", "+ a typical handler", (usedHeapAfterGc() - hello) / 1024.0 / n);
            System.out.println("\nper context, by class (top 25):");
            histoAfter.entrySet().stream()
                    .map(e -> {
                        long[] b = histoBefore.getOrDefault(e.getKey(), new long[2]);
                        return Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                    })
                    .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                    .limit(25)
                    .forEach(e -> System.out.printf("%10.1f objects %10.0f bytes  %s%n",
                            e.getValue()[0] / (double) n, e.getValue()[1] / (double) n, e.getKey()));
            live.forEach(JsRuntime::close);
        }
    }

    /** Builds {@code warm + n} contexts one by one; prints the CPU of each script per context over the last n. */
    static void cpuByScript(int warm, int n) throws Exception {
        List<Bootstrap.Script> scripts;
        try (NanoEngine full = new NanoEngine()) {
            scripts = full.bootstrap().scripts(); // Sources belong to no engine: reused on the bare one
        }
        var threads = ManagementFactory.getThreadMXBean();
        try (NanoEngine bare = new NanoEngine(List.of())) {
            System.out.println(bare.describeRuntime());
            EventLoop loop = new EventLoop();
            ConsoleSink quiet = (level, text) -> {};
            long[] nanos = new long[scripts.size()];
            long empty = 0;
            for (int i = 0; i < warm + n; i++) {
                long t0 = threads.getCurrentThreadCpuTime();
                JsRuntime rt = new JsRuntime(bare, loop, null, quiet);
                long t1 = threads.getCurrentThreadCpuTime();
                empty += i >= warm ? t1 - t0 : 0;
                for (int s = 0; s < scripts.size(); s++) {
                    long a = threads.getCurrentThreadCpuTime();
                    run(rt, scripts.get(s));
                    nanos[s] += i >= warm ? threads.getCurrentThreadCpuTime() - a : 0;
                }
                rt.close();
            }
            long total = empty;
            System.out.printf("%-45s %8.1f us%n", "(empty context)", empty / 1e3 / n);
            for (int s = 0; s < scripts.size(); s++) {
                total += nanos[s];
                System.out.printf("%-45s %8.1f us%n", scripts.get(s).source().getName(), nanos[s] / 1e3 / n);
            }
            System.out.printf("%-45s %8.1f us per context (contexts %d-%d)%n", "total", total / 1e3 / n, warm, warm + n);
        }
    }

    static void run(JsRuntime rt, Bootstrap.Script script) {
        Object ops = script.extension().ops().apply(rt);
        rt.context().eval(script.source()).execute(ops, rt.internal());
    }

    /** Class name to {instances, bytes}, from the JVM's own class histogram (as jcmd GC.class_histogram). */
    static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> map = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                map.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return map;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
