package dev.nano.ext.console;

import org.graalvm.polyglot.HostAccess.Export;

import dev.nano.engine.ConsoleSink;
import dev.nano.engine.JsRuntime;

/**
 * Writes console output of one context to its sink (terminal or log). The text arrives formatted,
 * group indentation included (ext/console/01_console.js); the level decides the stream: debug and
 * log/info to stdout, warn and error (console.error, trace, assert) to stderr, as Deno does.
 */
public final class ConsoleOps {
    // Must match DEBUG, INFO, WARN, ERROR in ext/console/01_console.js.
    private static final ConsoleSink.Level[] LEVELS = ConsoleSink.Level.values();
    private final ConsoleSink sink;

    public ConsoleOps(JsRuntime runtime) {
        this.sink = runtime.console();
    }

    /** @param level 0 debug, 1 info/log, 2 warn, 3 error */
    @Export
    public void print(int level, String text) {
        sink.write(LEVELS[Math.max(0, Math.min(LEVELS.length - 1, level))], text);
    }
}
