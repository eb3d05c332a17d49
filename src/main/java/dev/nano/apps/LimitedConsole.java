package dev.nano.apps;

import dev.nano.engine.ConsoleSink;
import dev.nano.loop.Watchdog;

/**
 * An app context's console with a quota per JS task ({@code limits.consoleKb}): past it, one marker
 * line says how much was cut and the rest of that task's output is dropped, so that a handler logging
 * in a loop cannot flood the log. Tasks are told apart by the watchdog's task id on the worker.
 * Loop thread only.
 */
final class LimitedConsole implements ConsoleSink {
    private final ConsoleSink out;
    private final int maxBytes;
    private final Watchdog.Slot watch;
    private long task;
    private long written;
    private boolean cut;

    LimitedConsole(ConsoleSink out, int maxBytes, Watchdog.Slot watch) {
        this.out = out;
        this.maxBytes = maxBytes;
        this.watch = watch;
    }

    @Override
    public void write(Level level, String text) {
        long now = watch == null ? 0 : watch.task();
        if (now != task) {
            task = now;
            written = 0;
            cut = false;
        }
        if (cut) {
            return;
        }
        // chars, not UTF-8 bytes: the same for the ASCII that logs mostly hold, and free to count
        written += text.length();
        if (written <= maxBytes) {
            out.write(level, text);
            return;
        }
        cut = true;
        long room = maxBytes - (written - text.length());
        if (room > 0) {
            out.write(level, text.substring(0, (int) room));
        }
        out.write(Level.WARN, "[console output cut: this request passed its " + (maxBytes / 1024)
                + " KB of console output (limits.consoleKb)]");
    }
}
