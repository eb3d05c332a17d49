package dev.nano.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nano.apps.AppConfig;
import dev.nano.apps.ConfigLoader;
import dev.nano.apps.EventLog;
import dev.nano.apps.ServerConfig;
import dev.nano.apps.AdminConfig;
import dev.nano.testing.JsHarness;

/**
 * A real NANO server on an ephemeral loopback port, for integration tests: apps written to a temp
 * folder, the JSON log captured, a real HTTP client.
 */
final class TestServer implements AutoCloseable {
    static {
        // lets the tests send their own Host header, to exercise routing by host
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final NanoServer server;
    final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Path dir, ServerConfig config, NanoServer.Options options) throws IOException, InterruptedException {
        this.dir = dir;
        EventLog log = new EventLog(logLines::add, true);
        this.server = NanoServer.start(config, options, JsHarness.engine(), log);
    }

    static NanoServer.Options options() {
        return NanoServer.Options.defaults().withWatch(false);
    }

    /** One app, module source {@code code}, reachable on any host. */
    static TestServer app(String code) throws IOException, InterruptedException {
        return app(options(), 2, "app.js", code);
    }

    /** One app on {@code workers} worker threads: {@code files} as in {@link #write}, the first being its module. */
    static TestServer app(NanoServer.Options options, int workers, String... files) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("nano-test");
        write(dir, files);
        ServerConfig config = new ServerConfig("127.0.0.1", 0, workers,
                List.of(AppConfig.single("app", dir.resolve(files[0]))), null, AdminConfig.OFF, null);
        return new TestServer(dir, config, options);
    }

    /** Writes {@code files} (name, content, name, content...) to a temp folder, then serves its nano.json. */
    static TestServer config(NanoServer.Options options, String... files) throws Exception {
        Path dir = Files.createTempDirectory("nano-test");
        write(dir, files);
        ServerConfig config = ConfigLoader.load(dir.resolve("nano.json"));
        return new TestServer(dir, config.withListener("127.0.0.1", 0), options);
    }

    static TestServer config(String... files) throws Exception {
        return config(options(), files);
    }

    static void write(Path dir, String... files) throws IOException {
        for (int i = 0; i + 1 < files.length; i += 2) {
            Path file = dir.resolve(files[i]);
            Files.createDirectories(file.getParent());
            Files.writeString(file, files[i + 1]);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).build());
    }

    HttpResponse<String> get(String host, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Host", host).build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON log lines of one type (request, console, error). */
    List<JsonNode> log(String type) {
        List<JsonNode> out = new ArrayList<>();
        synchronized (logLines) {
            for (String line : logLines) {
                try {
                    JsonNode node = JSON.readTree(line);
                    if (type.equals(node.path("type").asText())) {
                        out.add(node);
                    }
                } catch (IOException e) {
                    throw new AssertionError("log line is not JSON: " + line, e);
                }
            }
        }
        return out;
    }

    /** Waits up to 20 s (a loaded CI machine) for a log line of {@code type} containing {@code text}. */
    JsonNode awaitLog(String type, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode n : log(type)) {
                if (n.toString().contains(text)) {
                    return n;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + type + " log line containing '" + text + "' in " + logLines);
    }

    @Override
    public void close() {
        server.close();
    }
}
