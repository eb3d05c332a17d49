package dev.nano.cli;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per log record on stderr: {@code nano: WARNING message}. */
final class LogFormat extends Formatter {
    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new LogFormat());
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
    }

    @Override
    public String format(LogRecord r) {
        String text = "nano: " + r.getLevel().getName() + " " + formatMessage(r) + System.lineSeparator();
        if (r.getThrown() != null) {
            text += r.getThrown() + System.lineSeparator();
        }
        return text;
    }

    @SuppressWarnings("unused")
    private static String now() {
        return Instant.now().toString();
    }
}
