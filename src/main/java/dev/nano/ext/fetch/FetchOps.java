package dev.nano.ext.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsRuntime;
import dev.nano.loop.CpuAccount;

/**
 * Ops of outbound {@code fetch()} for one context (ext/fetch/08_fetch.js). JS starts one HTTP
 * exchange per hop ({@link #start}) and gets everything back through one handler function, called on
 * the context's loop with {@code (id, event, a, b, c)}: {@link #HEAD} (status, statusText, header
 * lines), {@link #CHUNK} (a ByteBuffer of body bytes, after {@link #pull}), {@link #END},
 * {@link #ERROR} (error name, message) and {@link #NEED} (send the next chunk of a streamed request
 * body with {@link #bodyChunk}/{@link #bodyEnd}). Redirects, data: and blob: URLs, AbortSignal and
 * the Response object are JS's; Java does the network, the address rules and the limits.
 *
 * <p>One instance per context; every method runs on the context's loop thread.
 */
public final class FetchOps {
    // must match the event numbers in ext/fetch/08_fetch.js
    static final int HEAD = 1;
    static final int CHUNK = 2;
    static final int END = 3;
    static final int ERROR = 4;
    static final int NEED = 5;

    /** The incoming requests a context is serving, for the per-request limits; absent in scripts. */
    public interface RequestScope {
        /** Requests handed to the context and not finished yet. */
        int openRequests();

        /** Requests ever handed to the context. */
        long dispatchedRequests();
    }

    private final JsRuntime runtime;
    private final Map<Integer, FetchExchange> exchanges = new HashMap<>();
    private final ArrayDeque<FetchExchange> waiting = new ArrayDeque<>();
    private FetchPolicy policy = FetchPolicy.DEFAULTS;
    private AddressGuard guard = new AddressGuard(FetchPolicy.DEFAULTS);
    private RequestScope scope; // null: no per-request limits (nano run)
    private Value handler;
    private int lastId;
    private int running;
    private long subrequestTokens;
    private long dispatchedSeen;
    private String error;

    public FetchOps(JsRuntime runtime) {
        this.runtime = runtime;
    }

    /** The fetch ops of {@code runtime}. */
    public static FetchOps of(JsRuntime runtime) {
        return runtime.internal().getMember("fetchOps").asHostObject();
    }

    /** The app's fetch settings, and the requests it serves (for the per-request limits). */
    public void configure(FetchPolicy policy, RequestScope scope) {
        this.policy = policy;
        this.guard = new AddressGuard(policy);
        this.scope = scope;
    }

    /** The app's address rules (also for its outbound WebSockets). */
    public AddressGuard guard() {
        return guard;
    }

    public FetchPolicy policy() {
        return policy;
    }

    /** The shared HTTP client for the app's connect timeout (also opens its outbound WebSockets). */
    public java.net.http.HttpClient httpClient() {
        return FetchClients.forConnectTimeout(policy.connectTimeoutMsOrDefault());
    }

    @Export
    public void setHandler(Value fn) {
        this.handler = fn;
    }

    /**
     * Starts one request. {@code body} is an ArrayBuffer ({@code offset}, {@code length}) or null;
     * {@code streamed}: the body comes later through {@link #NEED} events. Returns the exchange's id,
     * or 0 when it cannot start ({@link #lastError()} says why: a TypeError's message).
     */
    @Export
    public int start(String method, String url, String headerLines, Value body, int offset, int length, boolean streamed) {
        URI uri;
        try {
            uri = toUri(url);
        } catch (URISyntaxException e) {
            return refuse("fetch failed: invalid URL '" + url + "': " + e.getReason());
        }
        if (uri.getHost() == null) {
            return refuse("fetch failed: the URL '" + url + "' has no host");
        }
        if (scope != null && !takeSubrequest()) {
            return refuse("Too many subrequests: an incoming request may make at most "
                    + policy.maxSubrequestsOrDefault() + " fetch() calls (fetch.maxSubrequests in nano.json)");
        }
        byte[] bytes = null;
        if (body != null && !body.isNull()) {
            bytes = new byte[length];
            if (length > 0) {
                body.readBuffer(offset, bytes, 0, length);
            }
        }
        int id = ++lastId;
        FetchExchange exchange = new FetchExchange(id, this, runtime.loop(), method, uri, headerLines, bytes, streamed, policy);
        exchange.account = runtime.account(); // the request that fetches pays for handling the answer
        exchanges.put(id, exchange);
        if (running < concurrencyLimit()) {
            running++;
            exchange.begin(guard);
        } else {
            exchange.queued();
            waiting.add(exchange);
        }
        return id;
    }

    /**
     * A WHATWG-serialized URL as a {@link URI}: the fragment is dropped (never sent), and the few
     * characters that the URL Standard leaves as they are but RFC 3986 does not allow ({@code | ^ [ ]
     * { } `} and the like after the host) are percent-encoded, as they go on the wire anyway.
     */
    public static URI toUri(String url) throws URISyntaxException {
        int hash = url.indexOf('#');
        String s = hash >= 0 ? url.substring(0, hash) : url;
        int authority = s.indexOf("://");
        int pathStart = authority < 0 ? -1 : s.indexOf('/', authority + 3);
        int queryStart = authority < 0 ? -1 : s.indexOf('?', authority + 3);
        int rest = pathStart < 0 ? queryStart : queryStart < 0 ? pathStart : Math.min(pathStart, queryStart);
        if (rest < 0) {
            return new URI(s);
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, rest);
        for (int i = rest; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x20 && c < 0x7f && "|^[]{}`\\\"<>".indexOf(c) < 0) {
                b.append(c);
            } else {
                for (byte x : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
                }
            }
        }
        return new URI(b.toString());
    }

    @Export
    public String lastError() {
        return error;
    }

    private int refuse(String message) {
        error = message;
        return 0;
    }

    private int concurrencyLimit() {
        if (scope == null) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) policy.maxConcurrentOrDefault() * Math.max(1, scope.openRequests()));
    }

    /** Per-request budget, pooled over the requests the context serves (see {@link FetchPolicy}). */
    private boolean takeSubrequest() {
        long max = policy.maxSubrequestsOrDefault();
        long dispatched = scope.dispatchedRequests();
        long fresh = dispatched - dispatchedSeen;
        dispatchedSeen = dispatched;
        long cap = max * Math.max(1, scope.openRequests());
        subrequestTokens = Math.min(cap, subrequestTokens + fresh * max);
        if (subrequestTokens <= 0) {
            return false;
        }
        subrequestTokens--;
        return true;
    }

    @Export
    public void pull(int id) {
        FetchExchange e = exchanges.get(id);
        if (e != null) {
            e.pull();
        }
    }

    /** The response body is not wanted (a redirect, HEAD): read and drop it so the connection is reused. */
    @Export
    public void discard(int id) {
        FetchExchange e = exchanges.get(id);
        if (e != null) {
            e.discard();
        }
    }

    /** JS gave up on exchange {@code id} (abort, cancelled body); no event follows. */
    @Export
    public void abort(int id) {
        FetchExchange e = exchanges.get(id);
        if (e != null) {
            e.abort();
        }
    }

    /**
     * The response body of exchange {@code id}, not read by JS, goes to {@code sink} (a host
     * {@link dev.nano.ext.http.BodySink}) without JS from now on: JS has settled its side. False
     * when there is no such body to pass on.
     */
    @Export
    public boolean pipeBody(int id, Value sink) {
        FetchExchange e = exchanges.get(id);
        dev.nano.ext.http.BodySink to = dev.nano.ext.http.BodySink.from(sink);
        return e != null && to != null && e.pipeTo(to);
    }

    /**
     * The streamed request body of exchange {@code id} comes from request {@code requestId}'s own
     * body, which JS has not touched ({@code fetch(request)} of a POST): Java moves it, with no JS
     * per chunk. False when there is no such pair.
     */
    @Export
    public boolean pipeUpload(int id, int requestId) {
        FetchExchange e = exchanges.get(id);
        dev.nano.ext.http.RequestBody source = dev.nano.ext.http.HttpOps.of(runtime).streamedBody(requestId);
        return e != null && source != null && e.uploadFrom(source);
    }

    @Export
    public void bodyChunk(int id, Value buffer, int offset, int length) {
        FetchExchange e = exchanges.get(id);
        if (e != null) {
            byte[] bytes = new byte[length];
            buffer.readBuffer(offset, bytes, 0, length);
            e.uploadChunk(ByteBuffer.wrap(bytes));
            e.post(e::uploadWanted); // after this op returns: events never re-enter JS from inside an op
        }
    }

    @Export
    public void bodyEnd(int id) {
        FetchExchange e = exchanges.get(id);
        if (e != null) {
            e.uploadEnd();
        }
    }

    @Export
    public void bodyError(int id, String message) {
        FetchExchange e = exchanges.get(id);
        if (e != null) {
            e.uploadFailed(message);
        }
    }

    /** Exchanges not finished yet (for tests and metrics). */
    public int openCount() {
        return exchanges.size();
    }

    /** Called once by an exchange that ended; starts the next waiting one. */
    void finished(FetchExchange exchange, boolean neverStarted) {
        exchanges.remove(exchange.id);
        if (neverStarted) {
            waiting.remove(exchange);
            return;
        }
        running--;
        while (running < concurrencyLimit() && !waiting.isEmpty()) {
            FetchExchange next = waiting.poll();
            if (!next.isDone()) {
                running++;
                next.begin(guard);
            }
        }
    }

    /** Calls JS's handler as a task of the loop; a closed context cancels the exchange instead. */
    void emit(int id, int event, Object a, Object b, Object c) {
        if (handler == null) {
            return;
        }
        // the answer's head, end and failure are the request's own continuations; its body's chunks
        // only move bytes, limited per task (a proxied download is not cut off by cpuMs)
        FetchExchange fetch = event == CHUNK || event == NEED ? null : exchanges.get(id);
        try {
            runtime.runTask(fetch == null ? null : fetch.account, () -> handler.executeVoid(id, event, a, b, c));
        } catch (PolyglotException | IllegalStateException closed) {
            FetchExchange e = exchanges.get(id);
            if (e != null) {
                e.abort();
            }
        }
    }

    // ---- data: URLs (Fetch §4.2 "data: URL processor") ----

    private String dataType;

    /** The body of a data: URL, or null when it is not a valid one; {@link #dataUrlType()} is its MIME type text. */
    @Export
    public ByteBuffer dataUrl(String href) {
        DataUrl parsed = DataUrl.parse(href);
        if (parsed == null) {
            return null;
        }
        dataType = parsed.mimeType();
        return ByteBuffer.wrap(parsed.body());
    }

    @Export
    public String dataUrlType() {
        return dataType;
    }
}
