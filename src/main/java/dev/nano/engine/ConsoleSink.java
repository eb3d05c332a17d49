package dev.nano.engine;

import java.io.PrintStream;

/** Where a context's console output goes: the terminal in script mode, the log in server mode. */
public interface ConsoleSink {
    enum Level { DEBUG, INFO, WARN, ERROR }

    void write(Level level, String text);

    /** log/info/debug to stdout, warn/error to stderr, as Deno and Node do. */
    static ConsoleSink terminal() {
        return terminal(System.out, System.err);
    }

    static ConsoleSink terminal(PrintStream out, PrintStream err) {
        return (level, text) -> {
            PrintStream stream = level == Level.WARN || level == Level.ERROR ? err : out;
            stream.println(text);
        };
    }
}
