package dev.nano.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/** An app that routes its requests with URLPattern, served for real: the Workers routing idiom. */
class UrlPatternRoutingTest {
    static final String APP = """
            const routes = [
              [new URLPattern({ hostname: 'admin.*', pathname: '/*' }), () => new Response('admin', { status: 403 })],
              [new URLPattern({ pathname: '/books/:id(\\\\d+)' }), (m) => Response.json({ book: m.pathname.groups.id })],
              [new URLPattern({ pathname: '/files/:path+' }), (m) => new Response('file ' + m.pathname.groups.path)],
              [new URLPattern({ pathname: '/search', search: 'q=:q&*' }), (m) => new Response('q=' + m.search.groups.q)],
              [new URLPattern({ pathname: '{/v:major(\\\\d+)}?/status' }), (m) => new Response('v=' + m.pathname.groups.major)],
            ];
            export default {
              fetch(request) {
                if (request.method === 'POST') {
                  // An invalid pattern sent by the client: a TypeError the app turns into a 400.
                  return request.text().then((body) => {
                    try { return new Response(new URLPattern({ pathname: body }).pathname); }
                    catch (e) { return new Response(e.constructor.name + ': ' + e.message, { status: 400 }); }
                  });
                }
                for (const [pattern, handle] of routes) {
                  const match = pattern.exec(request.url);
                  if (match !== null) return handle(match);
                }
                return new Response('no route for ' + new URL(request.url).pathname, { status: 404 });
              },
            };
            """;

    @Test
    void requestsAreRoutedByTheirUrlPattern() throws Exception {
        try (TestServer server = TestServer.app(APP)) {
            assertAnswer(server.get("/books/42"), 200, "{\"book\":\"42\"}");
            assertAnswer(server.get("/books/forty-two"), 404, "no route for /books/forty-two");
            assertAnswer(server.get("/files/a/b/c.txt"), 200, "file a/b/c.txt");
            assertAnswer(server.get("/files/"), 404, "no route for /files/");
            assertAnswer(server.get("/search?q=nano&page=2"), 200, "q=nano");
            assertAnswer(server.get("/v2/status"), 200, "v=2");
            assertAnswer(server.get("/status"), 200, "v=undefined");
            assertAnswer(server.get("admin.example.com", "/books/42"), 403, "admin");
            assertAnswer(server.send(HttpRequest.newBuilder(server.uri("/compile"))
                    .POST(HttpRequest.BodyPublishers.ofString("/:id/(a")).build()), 400,
                    "TypeError: Invalid URL pattern \"/:id/(a\": unbalanced '(' at index 5");
            assertAnswer(server.send(HttpRequest.newBuilder(server.uri("/compile"))
                    .POST(HttpRequest.BodyPublishers.ofString("/(.*)")).build()), 200, "/*");
            // The bad pattern did not hurt the app: it still routes.
            assertAnswer(server.get("/books/7"), 200, "{\"book\":\"7\"}");
        }
    }

    private static void assertAnswer(HttpResponse<String> response, int status, String body) {
        assertEquals(body, response.body());
        assertEquals(status, response.statusCode());
    }
}
