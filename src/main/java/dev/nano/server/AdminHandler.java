package dev.nano.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import dev.nano.apps.App;
import dev.nano.apps.AppConfig;
import dev.nano.apps.AppRegistry;
import dev.nano.apps.AppStats;
import dev.nano.apps.ConfigException;

/**
 * The admin REST API (JSON in and out), last in the admin listener's pipeline:
 * <pre>
 *   GET    /healthz         200 while the process runs (no token needed)
 *   GET    /readyz          200 when serving, 503 while starting or shutting down (no token needed)
 *   GET    /metrics         Prometheus text format
 *   GET    /apps            every app: status, routes, counters
 *   GET    /apps/{name}     one app
 *   PUT    /apps/{name}     add or replace, body {"path": ..., "hostnames": [...], ...} or {"module": "js source", ...}
 *   POST   /apps/{name}     add only (409 if the name is taken)
 *   DELETE /apps/{name}     remove
 *   POST   /reload          re-read nano.json and every app's files
 * </pre>
 * Calls that load code run on the admin executor, never on a Netty thread.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = Logger.getLogger(AdminHandler.class.getName());
    private final AdminApi api;
    private final Executor slowWork;

    AdminHandler(AdminApi api, Executor slowWork) {
        this.api = api;
        this.slowWork = slowWork;
    }

    /** A JSON (or text) answer. */
    record Reply(int status, Object body) {
        static Reply error(int status, String message) {
            return new Reply(status, Map.of("error", message));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionFailures.close(ctx, cause, LOG);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = req.uri();
        int q = path.indexOf('?');
        path = q < 0 ? path : path.substring(0, q);
        HttpMethod method = req.method();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (path.equals("/healthz") || path.equals("/readyz")) {
            if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
                send(ctx, keepAlive, Reply.error(405, "use GET"));
            } else if (path.equals("/healthz")) {
                send(ctx, keepAlive, new Reply(200, Map.of("status", "ok")));
            } else {
                String state = api.readiness();
                send(ctx, keepAlive, new Reply(state.equals("ready") ? 200 : 503, Map.of("status", state)));
            }
            return;
        }
        if (!authorized(req)) {
            send(ctx, keepAlive, Reply.error(401, "missing or wrong bearer token (Authorization: Bearer <admin.token>)"));
            return;
        }
        if (path.equals("/metrics") && method.equals(HttpMethod.GET)) {
            sendMetrics(ctx, keepAlive);
            return;
        }
        if (path.equals("/apps") && method.equals(HttpMethod.GET)) {
            send(ctx, keepAlive, new Reply(200, api.registry().apps().stream().map(AdminHandler::describe).toList()));
            return;
        }
        if (path.equals("/reload")) {
            if (!method.equals(HttpMethod.POST)) {
                send(ctx, keepAlive, Reply.error(405, "use POST"));
                return;
            }
            slowWork.execute(() -> send(ctx, keepAlive, reload()));
            return;
        }
        if (path.startsWith("/apps/") && path.length() > 6 && path.indexOf('/', 6) < 0) {
            String name = path.substring(6);
            byte[] body = new byte[req.content().readableBytes()];
            req.content().getBytes(req.content().readerIndex(), body);
            if (method.equals(HttpMethod.GET)) {
                App app = api.registry().get(name);
                send(ctx, keepAlive, app == null ? Reply.error(404, "no app named '" + name + "'") : new Reply(200, describe(app)));
            } else if (method.equals(HttpMethod.PUT) || method.equals(HttpMethod.POST)) {
                boolean createOnly = method.equals(HttpMethod.POST);
                slowWork.execute(() -> send(ctx, keepAlive, put(name, body, createOnly)));
            } else if (method.equals(HttpMethod.DELETE)) {
                slowWork.execute(() -> send(ctx, keepAlive, api.registry().remove(name)
                        ? new Reply(204, null) : Reply.error(404, "no app named '" + name + "'")));
            } else {
                send(ctx, keepAlive, Reply.error(405, "use GET, PUT, POST or DELETE"));
            }
            return;
        }
        send(ctx, keepAlive, Reply.error(404, "no such admin endpoint: " + method + " " + path));
    }

    private boolean authorized(FullHttpRequest req) {
        String token = api.token();
        if (token == null) {
            return true;
        }
        String given = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String expected = "Bearer " + token;
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private Reply put(String name, byte[] body, boolean createOnly) {
        JsonNode node;
        try {
            node = dev.nano.apps.ConfigLoader.readJson(body);
        } catch (ConfigException e) {
            return new Reply(400, Map.of("error", "the body must be a JSON object describing the app", "problems", e.problems()));
        }
        if (createOnly && api.registry().get(name) != null) {
            return Reply.error(409, "an app named '" + name + "' exists; use PUT to replace it");
        }
        AppConfig config;
        try {
            config = api.appConfig(name, node);
        } catch (ConfigException e) {
            return new Reply(400, Map.of("error", "invalid app", "problems", e.problems()));
        }
        // an upload was just written to the app's folder: its first version runs the text we have
        JsonNode module = node.get("module");
        AppRegistry.Change change = api.registry().put(config, module != null && module.isTextual() ? module.asText() : null);
        api.appsChanged();
        if (!change.ok()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("error", change.replaced()
                    ? "the new version failed to load; the previous version keeps serving" : "the app failed to load");
            out.put("reason", change.error());
            return new Reply(422, out);
        }
        return new Reply(change.replaced() ? 200 : 201, describe(change.app()));
    }

    private Reply reload() {
        List<String> problems = api.reload();
        if (problems.isEmpty()) {
            return new Reply(200, Map.of("reloaded", true, "apps", api.registry().apps().stream().map(AdminHandler::describe).toList()));
        }
        return new Reply(400, Map.of("error", "the configuration is invalid; the previous one stays in force", "problems", problems));
    }

    static Map<String, Object> describe(App app) {
        Map<String, Object> out = new LinkedHashMap<>();
        AppConfig c = app.config();
        AppStats s = app.stats();
        out.put("name", app.name());
        out.put("version", app.version());
        out.put("status", app.status().name().toLowerCase(java.util.Locale.ROOT));
        if (app.loadError() != null) {
            out.put("loadError", app.loadError());
        }
        out.put("hostnames", c.hostnames());
        out.put("pathPrefix", c.pathPrefix());
        out.put("path", c.path().toString());
        out.put("module", app.entry().module().toString());
        out.put("contexts", app.contextCount());
        out.put("inFlight", app.inFlight());
        out.put("requests", s.requests());
        Map<String, Long> byClass = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            byClass.put(i + "xx", s.responses(i));
        }
        out.put("responses", byClass);
        out.put("errors", s.errors());
        out.put("cpuMs", Math.round(s.cpuMillis() * 1000) / 1000.0);
        return out;
    }

    private void sendMetrics(ChannelHandlerContext ctx, boolean keepAlive) {
        try {
            write(ctx, keepAlive, 200, api.metrics().contentType(), api.metrics().scrape());
        } catch (java.io.IOException e) {
            send(ctx, keepAlive, Reply.error(500, "cannot write metrics: " + e.getMessage()));
        }
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, Reply reply) {
        byte[] body = reply.body() == null ? new byte[0] : (HttpServer.toJson(reply.body()) + "\n").getBytes(StandardCharsets.UTF_8);
        write(ctx, keepAlive, reply.status(), "application/json", body);
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, int status, String type, byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        if (body.length > 0) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        }
        if (status == 401) {
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.DATE, HttpDates.now());
        HttpUtil.setKeepAlive(res, keepAlive);
        ctx.writeAndFlush(res);
    }
}
