package dev.nano.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/** Turns a JS exception that reached Java into the text an operator reads: message, then stack. */
public final class JsErrors {
    /**
     * GraalJS's wrapping of NANO's refusal of a URL import ({@link ModuleFileSystem#parsePath(java.net.URI)}):
     * "Error reading module 'node:fs' imported from /app/x.js: Cannot import 'node:fs': ...", told as
     * NANO's reason and the importing file.
     */
    private static final Pattern URL_IMPORT =
            Pattern.compile("(?:Error: )?Error reading module '[^']*' imported from (.*?): (Cannot import '.*)", Pattern.DOTALL);

    /** GraalWasm's refusal of a shared memory names its own option; the operator needs NANO's flag. */
    private static final String SHARED_MEMORY_OFF = "Shared memories are only supported when UseUnsafeMemory flag is set";

    private JsErrors() {}

    /** True for an import that NANO refuses (node:, bare, URL specifiers): its message is ours, not JS's. */
    static boolean isRefusedImport(PolyglotException e) {
        return String.valueOf(e.getMessage()).contains("Cannot import '");
    }

    public static String format(PolyglotException e) {
        return withHint(describe(e));
    }

    /** {@code text}, an error as reported to the operator, with what to do about it when NANO knows. */
    public static String withHint(String text) {
        return text.contains(SHARED_MEMORY_OFF)
                ? text + "\n    (shared WebAssembly memories are off in this server: start it with --wasm-shared-memory)"
                : text;
    }

    private static String describe(PolyglotException e) {
        if (e.isSyntaxError()) {
            return formatSyntaxError(e);
        }
        if (e.isInterrupted()) {
            return "Error: execution interrupted";
        }
        if (e.isGuestException()) {
            Matcher urlImport = URL_IMPORT.matcher(String.valueOf(e.getMessage()));
            if (urlImport.matches()) {
                return "Error: " + urlImport.group(2) + " (imported from " + urlImport.group(1) + ")";
            }
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
        return "\n    at " + sourcePath(at) + ":" + at.getStartLine() + ":" + at.getStartColumn();
    }

    /**
     * GraalJS says "name:line:col message\nsource line\n   ^"; we put the message first and the full
     * path, line and column on the "at" line, then the source excerpt.
     */
    private static String formatSyntaxError(PolyglotException e) {
        String message = String.valueOf(e.getMessage());
        String firstLine = message.lines().findFirst().orElse("");
        String excerpt = message.substring(Math.min(message.length(), firstLine.length())).stripTrailing();
        if (firstLine.startsWith("SyntaxError: ")) {
            firstLine = firstLine.substring("SyntaxError: ".length());
        }
        int space = firstLine.indexOf(' ');
        if (space > 0 && firstLine.substring(0, space).matches(".*:\\d+:\\d+")) {
            firstLine = firstLine.substring(space + 1);
        }
        SourceSection at = e.getSourceLocation();
        String where = at == null || at.getSource() == null ? ""
                : "\n    at " + sourcePath(at) + ":" + at.getStartLine() + ":" + at.getStartColumn();
        return "SyntaxError: " + firstLine + where + (excerpt.isEmpty() ? "" : "\n" + excerpt);
    }

    private static String sourcePath(SourceSection at) {
        String path = at.getSource().getPath();
        return path != null ? path : at.getSource().getName();
    }
}
