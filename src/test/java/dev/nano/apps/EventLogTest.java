package dev.nano.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import dev.nano.engine.ConsoleSink;

class EventLogTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void linesAreJsonWhateverTheTextHolds() throws Exception {
        List<String> lines = new ArrayList<>();
        EventLog log = new EventLog(lines::add, true);
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 sep \u2028 ü 😀";
        log.console("app", ConsoleSink.Level.WARN, nasty);
        log.error("app", "exception", nasty);
        log.request("app", "GET", "h", "/p\"", 200, 1.23456, 16);
        JsonNode console = JSON.readTree(lines.get(0));
        assertEquals(nasty, console.get("message").asText());
        assertEquals("warn", console.get("level").asText());
        assertTrue(console.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), lines.get(0));
        assertEquals(nasty, JSON.readTree(lines.get(1)).get("message").asText());
        JsonNode request = JSON.readTree(lines.get(2));
        assertEquals("/p\"", request.get("path").asText());
        assertEquals(1.235, request.get("ms").asDouble());
        assertEquals(16, request.get("bytes").asLong());
        assertEquals(3, lines.size());
        for (String line : lines) {
            assertTrue(!line.contains("\n"), "one line each");
        }
    }

    @Test
    void millisAreWrittenAsDoubleToStringWritesThemRoundedToThreeDecimals() {
        List<Double> samples = new ArrayList<>(List.of(0.0, 0.0004, 0.0005, 0.008, 0.01, 0.1, 0.123456, 1.0, 1.2,
            1.25, 12.0409, 999.9999, 1234.5, 9_999_999.9994, 10_000_000.0, 123_456_789.5, -1.0));
        java.util.Random random = new java.util.Random(8);
        for (int i = 0; i < 20_000; i++) {
            samples.add(random.nextDouble() * Math.pow(10, random.nextInt(9) - 2));
        }
        for (double millis : samples) {
            StringBuilder b = new StringBuilder();
            EventLog.appendMillis(b, millis);
            assertEquals(String.valueOf(Math.round(millis * 1000) / 1000.0), b.toString(), "for " + millis);
        }
    }

    @Test
    void theAsyncWriterWritesEveryLineInOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventLog log = EventLog.async(out, true);
        for (int i = 0; i < 1000; i++) {
            log.request("app", "GET", "h", "/" + i, 200, 1, 1);
        }
        log.close();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(1000, lines.length);
        assertEquals("/999", JSON.readTree(lines[999]).get("path").asText());
        EventLog quiet = new EventLog(l -> { throw new AssertionError("no request lines when off"); }, false);
        quiet.request("app", "GET", "h", "/", 200, 1, 1);
    }

    @Test
    void aLineAfterAQuietSpellIsWrittenWithoutAFlush() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventLog log = EventLog.async(out, true);
        try {
            log.request("app", "GET", "h", "/first", 200, 1, 1);
            awaitLines(out, 1);
            // quiet for many polls: the writer dozes until a line wakes it (no flush here, which would)
            Thread.sleep(EventLog.AsyncWriter.POLL_MILLIS * EventLog.AsyncWriter.DOZE_AFTER_POLLS * 5);
            log.request("app", "GET", "h", "/second", 200, 1, 1);
            awaitLines(out, 2);
        } finally {
            log.close();
        }
    }

    private static void awaitLines(ByteArrayOutputStream out, int lines) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (out.toString(StandardCharsets.UTF_8).split("\n", -1).length <= lines) {
            assertTrue(System.nanoTime() < deadline, "line " + lines + " was never written: " + out);
            Thread.sleep(5);
        }
    }

    @Test
    void theAsyncWriterWritesRequestLinesAsTheDirectSinkDoes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventLog async = EventLog.async(out, true);
        List<String> direct = new ArrayList<>();
        EventLog sync = new EventLog(direct::add, true);
        String[] paths = {"/plain", "/ü-non-ascii", "/quote\"", "/" + "x".repeat(600)};
        for (String path : paths) {
            async.request("app", "GET", "h:8080", path, 200, 0.25, 12);
            sync.request("app", "GET", "h:8080", path, 200, 0.25, 12);
        }
        async.close();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(paths.length, lines.length);
        for (int i = 0; i < paths.length; i++) {
            JsonNode a = JSON.readTree(lines[i]);
            JsonNode d = JSON.readTree(direct.get(i));
            assertEquals(paths[i], a.get("path").asText());
            ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("time");
            ((com.fasterxml.jackson.databind.node.ObjectNode) d).remove("time");
            assertEquals(d, a);
        }
    }

    @Test
    void theWriterThreadsBytesAreTheLinesTheStringFormattingMakes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineBuffer buffer = new LineBuffer(bytes);
        StringBuilder expected = new StringBuilder();
        String[] texts = {"app", "GET", "shop.local:8080", "/", "", "/p\"q\\r", "/tab\tnl\ncr\r", "/\u0000\u001f\u007f",
            "/\u2028\u2029", "/ü-é", "/€", "/😀", "/lone\ud800x", "/lone\udc00", "/end\ud83d", null, "x".repeat(70_000)};
        java.util.Random random = new java.util.Random(3);
        long[] times = {0, 999, 1000, 1_700_000_000_000L, 1_700_000_000_001L, 1_700_000_000_010L, 1_700_000_000_100L,
            -1, 253_402_300_800_000L};
        for (int i = 0; i < 2000; i++) {
            EventLog.RequestLine line = new EventLog.RequestLine(
                i < times.length ? times[i] : 1_700_000_000_000L + random.nextInt(5000),
                texts[random.nextInt(texts.length)], texts[random.nextInt(3)], texts[random.nextInt(texts.length)],
                texts[random.nextInt(texts.length)], random.nextInt(600), random.nextDouble() * Math.pow(10, random.nextInt(12) - 3),
                i == 0 ? Long.MIN_VALUE : random.nextLong(1L << random.nextInt(63)));
            buffer.request(line);
            line.format(expected);
            expected.append('\n');
            if (i % 100 == 0) {
                buffer.line("{\"type\":\"console\",\"message\":\"ü\"}");
                expected.append("{\"type\":\"console\",\"message\":\"ü\"}\n");
            }
        }
        buffer.flush();
        // compared as the bytes each writes (a lone surrogate becomes '?' in UTF-8)
        String wanted = new String(expected.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertEquals(wanted, bytes.toString(StandardCharsets.UTF_8));
    }
}
