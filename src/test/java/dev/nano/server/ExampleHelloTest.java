package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.nano.apps.AdminConfig;
import dev.nano.apps.AppConfig;
import dev.nano.apps.EventLog;
import dev.nano.apps.ServerConfig;
import dev.nano.testing.JsHarness;

/** examples/hello, the app the README serves, answers as documented. */
class ExampleHelloTest {
    @Test
    void theReadmeExampleAnswers() throws Exception {
        Path app = Path.of("examples/hello").toAbsolutePath();
        ServerConfig config = new ServerConfig("127.0.0.1", 0, 1, List.of(AppConfig.single("hello", app)), null,
                AdminConfig.OFF, null);
        try (NanoServer server = NanoServer.start(config, TestServer.options(), JsHarness.engine(), new EventLog(l -> {}, false))) {
            var client = java.net.http.HttpClient.newHttpClient();
            var base = java.net.URI.create("http://127.0.0.1:" + server.port());
            assertEquals("Hello from NANO\n", client.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("{\"hello\":\"NANO\",\"method\":\"GET\",\"path\":\"/json\"}", client.send(
                    HttpRequest.newBuilder(base.resolve("/json")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("ping", client.send(HttpRequest.newBuilder(base.resolve("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("ping")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        }
    }
}
