package dev.nano.ext.fetch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an app's outbound {@code fetch()} may do: its timeouts, its subrequest limits and which
 * addresses it may reach ({@code "fetch": {...}} of an app in {@code nano.json}). 0 means "the default".
 *
 * <p>Limits count per incoming request, as on Workers. JS gives no way to know which request an
 * awaited continuation belongs to, so a context shares the budget among the requests it has open:
 * {@code maxConcurrent × open requests} fetches in flight (more wait their turn, as Workers queues
 * connections past its 6), and {@code maxSubrequests} more fetches per request dispatched to it,
 * pooled up to {@code maxSubrequests × open requests}. With one request at a time that is exactly
 * the per-request limit.
 *
 * @param connectTimeoutMs time to open a connection (TCP and TLS); later rejects with a TimeoutError
 * @param timeoutMs time for a whole fetch, from the call until the body has been read (each redirect
 *     hop restarts it); later rejects (or errors the body) with a TimeoutError
 * @param maxConcurrent fetches in flight per open incoming request; more wait
 * @param maxSubrequests fetches per incoming request; more reject with a TypeError
 * @param allow hosts, IP addresses and CIDR ranges always allowed, even where {@link #deny} or the
 *     built-in rules (link-local, NANO's admin port) would refuse them
 * @param deny hosts, IP addresses and CIDR ranges refused in addition to the built-in rules
 */
public record FetchPolicy(long connectTimeoutMs, long timeoutMs, int maxConcurrent, int maxSubrequests,
                          List<String> allow, List<String> deny) {
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_TIMEOUT_MS = 300_000;
    /** Workers: six simultaneous open connections per request. */
    public static final int DEFAULT_MAX_CONCURRENT = 6;
    /** Workers (paid plan): 1000 subrequests per request. */
    public static final int DEFAULT_MAX_SUBREQUESTS = 1000;

    public static final FetchPolicy DEFAULTS = new FetchPolicy(0, 0, 0, 0, List.of(), List.of());

    public FetchPolicy {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    private static final Set<String> KEYS = Set.of("connectTimeoutMs", "timeoutMs", "maxConcurrent", "maxSubrequests",
            "allow", "deny");

    /**
     * Reads an app's {@code "fetch"} object of {@code nano.json}; each mistake goes to {@code problem}
     * as (JSON path, message), and the defaults stand in for what is wrong.
     */
    public static FetchPolicy fromJson(JsonNode node, String at, BiConsumer<String, String> problem) {
        if (node == null) {
            return DEFAULTS;
        }
        if (!node.isObject()) {
            problem.accept(at, "must be an object");
            return DEFAULTS;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                problem.accept(at + "." + key, "unknown field; expected one of " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        return new FetchPolicy(positive(node, "connectTimeoutMs", at, problem), positive(node, "timeoutMs", at, problem),
                (int) positive(node, "maxConcurrent", at, problem), (int) positive(node, "maxSubrequests", at, problem),
                rules(node, "allow", at, problem), rules(node, "deny", at, problem));
    }

    private static long positive(JsonNode node, String key, String at, BiConsumer<String, String> problem) {
        JsonNode v = node.get(key);
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            problem.accept(at + "." + key, "must be an integer from 1 to " + Integer.MAX_VALUE);
            return 0;
        }
        return v.asInt();
    }

    private static List<String> rules(JsonNode node, String key, String at, BiConsumer<String, String> problem) {
        JsonNode v = node.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            problem.accept(at + "." + key, "must be an array of hosts, IP addresses or CIDR ranges");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String where = at + "." + key + "[" + i + "]";
            if (!item.isTextual()) {
                problem.accept(where, "must be a string");
                continue;
            }
            try {
                AddressRule.parse(item.asText());
                out.add(item.asText());
            } catch (IllegalArgumentException e) {
                problem.accept(where, e.getMessage());
            }
        }
        return out;
    }

    public long connectTimeoutMsOrDefault() {
        return connectTimeoutMs > 0 ? connectTimeoutMs : DEFAULT_CONNECT_TIMEOUT_MS;
    }

    public long timeoutMsOrDefault() {
        return timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS;
    }

    public int maxConcurrentOrDefault() {
        return maxConcurrent > 0 ? maxConcurrent : DEFAULT_MAX_CONCURRENT;
    }

    public int maxSubrequestsOrDefault() {
        return maxSubrequests > 0 ? maxSubrequests : DEFAULT_MAX_SUBREQUESTS;
    }
}
