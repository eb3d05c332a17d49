package dev.nano.engine;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/** Turns a JS exception that reached Java into the text an operator reads: message, then stack. */
public final class JsErrors {
    private JsErrors() {}

    public static String format(PolyglotException e) {
        if (e.isSyntaxError()) {
            return "SyntaxError: " + stripPrefix(e.getMessage()) + location(e.getSourceLocation());
        }
        if (e.isInterrupted()) {
            return "Error: execution interrupted";
        }
        if (e.isGuestException()) {
            Value guest = e.getGuestObject();
            String stack = stackOf(guest);
            if (stack != null) {
                return stack;
            }
            return e.getMessage() + location(e.getSourceLocation());
        }
        return "InternalError: " + e.getMessage();
    }

    /** The JS {@code stack} of an Error (starts with "Name: message"), else null. */
    static String stackOf(Value guest) {
        if (guest != null && guest.hasMembers()) {
            try {
                Value stack = guest.getMember("stack");
                if (stack != null && stack.isString()) {
                    return stack.asString();
                }
            } catch (PolyglotException ignored) {
                // a throwing getter: fall back to the message
            }
        }
        return null;
    }

    static String location(SourceSection at) {
        if (at == null || at.getSource() == null) {
            return "";
        }
        return "\n    at " + at.getSource().getName() + ":" + at.getStartLine() + ":" + at.getStartColumn();
    }

    private static String stripPrefix(String message) {
        return message != null && message.startsWith("SyntaxError: ") ? message.substring(13) : message;
    }
}
