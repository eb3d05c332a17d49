import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * WebSocket echo load for bench/ws-echo.sh: C connections, each with one text message in flight (send,
 * wait for the echo, send again) for D seconds after a warm-up of W seconds. Prints
 * "messages msgs_per_s p50_us p99_us". Run with `java bench/WsEchoLoad.java url C W D size`.
 */
public final class WsEchoLoad {
    static final class Conn implements WebSocket.Listener {
        final String message;
        final AtomicBoolean measuring;
        final AtomicBoolean running;
        long[] latencies = new long[1 << 16];
        int count;
        long sentAt;
        WebSocket ws;
        final StringBuilder buf = new StringBuilder();

        Conn(String message, AtomicBoolean measuring, AtomicBoolean running) {
            this.message = message;
            this.measuring = measuring;
            this.running = running;
        }

        void send() {
            sentAt = System.nanoTime();
            ws.sendText(message, true);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buf.append(data);
            if (last) {
                long took = System.nanoTime() - sentAt;
                if (!buf.toString().equals(message)) {
                    System.err.println("wrong echo");
                    System.exit(2);
                }
                buf.setLength(0);
                if (measuring.get()) {
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = took;
                }
                if (running.get()) {
                    send();
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int duration = Integer.parseInt(args[3]);
        String message = "x".repeat(Integer.parseInt(args[4]));
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        HttpClient client = HttpClient.newHttpClient();
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Conn c = new Conn(message, measuring, running);
            c.ws = client.newWebSocketBuilder().buildAsync(uri, c).get(10, TimeUnit.SECONDS);
            conns.add(c);
        }
        conns.forEach(Conn::send);
        Thread.sleep(warmup * 1000L);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(duration * 1000L);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        running.set(false);
        Thread.sleep(200);
        int total = 0;
        for (Conn c : conns) {
            total += c.count;
        }
        long[] all = new long[total];
        int at = 0;
        for (Conn c : conns) {
            System.arraycopy(c.latencies, 0, all, at, c.count);
            at += c.count;
        }
        Arrays.sort(all);
        List<CompletableFuture<WebSocket>> closes = new ArrayList<>();
        for (Conn c : conns) {
            closes.add(c.ws.sendClose(WebSocket.NORMAL_CLOSURE, ""));
        }
        CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        System.out.printf("%d %.0f %.0f %.0f%n", total, total / (elapsed / 1e9), all[total / 2] / 1e3,
                all[(int) (total * 0.99)] / 1e3);
        System.exit(0);
    }
}
