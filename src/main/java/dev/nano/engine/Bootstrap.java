package dev.nano.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.graalvm.polyglot.Source;

import dev.nano.ext.console.ConsoleOps;
import dev.nano.ext.core.CoreOps;
import dev.nano.ext.timers.TimerOps;

/**
 * The extensions every context gets, in load order, with their JS parsed into {@link Source}s once
 * per process: contexts on the shared engine then reuse the parsed and compiled code.
 */
public final class Bootstrap {
    /** Load order matters: later extensions use what earlier ones put on {@code internal}. */
    public static List<Extension> extensions() {
        return List.of(
                Extension.of("core", CoreOps::new, "00_primordials.js", "01_webidl.js", "02_host.js"),
                Extension.of("web", dev.nano.ext.web.WebOps::new,
                        "00_dom_exception.js", "01_event.js", "02_abort.js", "03_report_error.js",
                        "04_base64.js", "05_encoding.js", "06_structured_clone.js", "07_performance.js",
                        "08_navigator.js", "09_message_channel.js"),
                Extension.of("url", dev.nano.ext.url.UrlOps::new, "00_url.js", "01_url_search_params.js",
                        "02_url_pattern_parser.js", "03_url_pattern.js"),
                Extension.of("streams", dev.nano.ext.streams.CompressionOps::new,
                        "00_common.js", "01_queuing_strategies.js", "02_writable_stream.js", "03_readable_stream.js",
                        "04_readable_byte_stream.js", "05_pipe_tee_from.js", "06_transform_stream.js",
                        "07_text_streams.js", "08_compression.js", "09_exports.js"),
                Extension.of("crypto", dev.nano.ext.crypto.CryptoOps::new,
                        "00_crypto.js", "01_crypto_key.js", "02_normalize.js", "03_keys.js", "04_jwk.js",
                        "05_subtle.js"),
                Extension.of("fetch", dev.nano.ext.fetch.FetchOps::new,
                        "00_headers.js", "01_blob.js", "02_file.js", "03_form_data.js", "04_body.js",
                        "05_request.js", "06_response.js", "07_file_reader.js", "08_fetch.js"),
                Extension.of("cache", dev.nano.ext.cache.CacheOps::new, "00_cache.js"),
                Extension.of("console", ConsoleOps::new, "00_inspect.js", "01_console.js"),
                Extension.of("timers", TimerOps::new, "00_timers.js"),
                Extension.of("websocket", dev.nano.ext.websocket.WebSocketOps::new, "00_websocket.js"),
                Extension.of("http", dev.nano.ext.http.HttpOps::new, "00_dispatch.js"),
                Extension.jsOnly("global", "99_global.js"));
    }

    /**
     * The name of the function each script is wrapped in. Its code runs once per context, so Truffle,
     * which counts calls over all contexts, compiles it after about a thousand contexts, at ~1 s of
     * compiler time per script for no gain (see {@link NanoEngine}, which excludes it by this name).
     */
    static final String WRAPPER = "nano$bootstrap";

    /** A script of one extension, ready to evaluate. */
    public record Script(Extension extension, Source source) {}

    private final List<Script> scripts;

    Bootstrap(List<Extension> extensions) {
        List<Script> list = new ArrayList<>();
        for (Extension ext : extensions) {
            for (String file : ext.scripts()) {
                list.add(new Script(ext, load(ext.name(), file)));
            }
        }
        this.scripts = List.copyOf(list);
    }

    /** Every script, in load order. */
    public List<Script> scripts() {
        return scripts;
    }

    private static Source load(String extension, String file) {
        String path = "dev/nano/ext/" + extension + "/" + file;
        try (InputStream in = Bootstrap.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing bootstrap script " + path);
            }
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // The wrapper opens on the script's first line, so its line numbers stay those of the file.
            String text = "(function " + WRAPPER + "(ops, internal) { 'use strict'; " + body + "\n})";
            return Source.newBuilder("js", text, "nano:ext/" + extension + "/" + file).cached(true).buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
