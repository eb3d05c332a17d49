package dev.nano.ext.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A header list as it crosses from JS: names and values joined {@code name\nvalue\nname\nvalue}
 * (names lowercase, as Fetch's header lists hold them). Immutable.
 */
record HeaderList(List<String> flat) {
    static final HeaderList EMPTY = new HeaderList(List.of());

    static HeaderList parse(String lines) {
        if (lines == null || lines.isEmpty()) {
            return EMPTY;
        }
        String[] parts = lines.split("\n", -1);
        List<String> out = new ArrayList<>(parts.length);
        for (int i = 0; i + 1 < parts.length; i += 2) {
            out.add(parts[i].toLowerCase(Locale.ROOT));
            out.add(parts[i + 1]);
        }
        return new HeaderList(List.copyOf(out));
    }

    /** Fetch §2.2.2 "get": the values of {@code name} joined with ", ", or null when absent. */
    String get(String name) {
        StringBuilder sb = null;
        for (int i = 0; i < flat.size(); i += 2) {
            if (flat.get(i).equals(name)) {
                if (sb == null) {
                    sb = new StringBuilder(flat.get(i + 1));
                } else {
                    sb.append(", ").append(flat.get(i + 1));
                }
            }
        }
        return sb == null ? null : sb.toString();
    }

    boolean has(String name) {
        for (int i = 0; i < flat.size(); i += 2) {
            if (flat.get(i).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A copy without the headers named in {@code names} (lowercase). */
    HeaderList without(String... names) {
        List<String> out = new ArrayList<>(flat.size());
        outer:
        for (int i = 0; i < flat.size(); i += 2) {
            for (String n : names) {
                if (flat.get(i).equals(n)) {
                    continue outer;
                }
            }
            out.add(flat.get(i));
            out.add(flat.get(i + 1));
        }
        return new HeaderList(List.copyOf(out));
    }

    /** A copy with {@code name} set to {@code value} (replacing any values it had). */
    HeaderList with(String name, String value) {
        List<String> out = new ArrayList<>(without(name).flat);
        out.add(name);
        out.add(value);
        return new HeaderList(List.copyOf(out));
    }

    /** The field names listed in the comma-separated header {@code name}, lowercase and trimmed. */
    List<String> tokens(String name) {
        String v = get(name);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        for (String part : v.split(",")) {
            String t = part.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    String join() {
        return String.join("\n", flat);
    }

    /** Bytes this list takes, roughly, for the store's budget. */
    long weight() {
        long n = 0;
        for (String s : flat) {
            n += s.length() + 2;
        }
        return n;
    }
}
