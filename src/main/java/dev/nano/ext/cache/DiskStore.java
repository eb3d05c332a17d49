package dev.nano.ext.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An app's cache folder: {@code caches.json} (the cache names, in creation order, with their ids) and
 * per entry {@code e-<id>.body} (the body, written as it streams in) and {@code e-<id>.json} (the
 * rest, written last: an entry exists once its JSON does). Files are replaced by atomic moves, so a
 * crash leaves either the old or the new state plus temporary files that the next load removes.
 */
final class DiskStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the folder held at start. */
    record Loaded(LinkedHashMap<String, Integer> names, List<CacheEntry> entries, long lastId) {}

    private final Path dir;

    DiskStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cache folder " + dir + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Where the body of entry {@code id} is written while it streams in. */
    Path pendingBody(long id) {
        return dir.resolve("e-" + id + ".tmp");
    }

    private Path body(long id) {
        return dir.resolve("e-" + id + ".body");
    }

    private Path meta(long id) {
        return dir.resolve("e-" + id + ".json");
    }

    void saveNames(Map<String, Integer> names) {
        ArrayNode list = JSON.createArrayNode();
        names.forEach((name, id) -> list.addObject().put("name", name).put("id", id));
        ObjectNode root = JSON.createObjectNode();
        root.set("caches", list);
        writeAtomically(dir.resolve("caches.json"), root);
    }

    /** Makes {@code entry} durable; its body, if any, was written to {@link #pendingBody}. Returns it with its final file. */
    CacheEntry save(CacheEntry entry) {
        Path file = null;
        if (entry.file() != null) {
            file = body(entry.id());
            move(entry.file(), file);
        }
        CacheEntry saved = new CacheEntry(entry.id(), entry.cacheId(), entry.url(), entry.requestHeaders(),
                entry.status(), entry.statusText(), entry.headers(), entry.storedAt(), entry.expiresAt(),
                entry.bodyLength(), null, file);
        ObjectNode m = JSON.createObjectNode();
        m.put("cache", entry.cacheId()).put("url", entry.url()).put("status", entry.status())
                .put("statusText", entry.statusText()).put("storedAt", entry.storedAt())
                .put("expiresAt", entry.expiresAt()).put("bodyLength", entry.bodyLength());
        m.set("requestHeaders", JSON.valueToTree(entry.requestHeaders().flat()));
        m.set("headers", JSON.valueToTree(entry.headers().flat()));
        if (entry.bytes() != null) { // a memory-sized body of a disk store is still written as a file
            throw new IllegalArgumentException("disk entries stream their body to a file");
        }
        writeAtomically(meta(entry.id()), m);
        return saved;
    }

    void delete(CacheEntry entry) {
        try {
            Files.deleteIfExists(meta(entry.id()));
            Files.deleteIfExists(body(entry.id()));
        } catch (IOException ignored) {
            // an orphaned body without its JSON is removed by the next load
        }
    }

    Loaded load() {
        LinkedHashMap<String, Integer> names = new LinkedHashMap<>();
        List<CacheEntry> entries = new ArrayList<>();
        long lastId = 0;
        try {
            Path namesFile = dir.resolve("caches.json");
            if (Files.exists(namesFile)) {
                for (JsonNode c : JSON.readTree(namesFile.toFile()).path("caches")) {
                    names.put(c.path("name").asText(), c.path("id").asInt());
                }
            }
            List<Path> stray = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "e-*")) {
                for (Path f : files) {
                    String n = f.getFileName().toString();
                    long id = idOf(n);
                    lastId = Math.max(lastId, id);
                    if (n.endsWith(".json")) {
                        CacheEntry e = read(f, id);
                        if (e != null) {
                            entries.add(e);
                        } else {
                            stray.add(f);
                        }
                    } else if (n.endsWith(".tmp") || n.endsWith(".part") || n.endsWith(".body") && !Files.exists(meta(id))) {
                        stray.add(f);
                    }
                }
            }
            for (Path f : stray) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cache folder " + dir + ": " + e.getMessage(), e);
        }
        entries.sort((a, b) -> Long.compare(a.storedAt(), b.storedAt()));
        return new Loaded(names, entries, lastId);
    }

    private CacheEntry read(Path f, long id) {
        try {
            JsonNode m = JSON.readTree(f.toFile());
            long length = m.path("bodyLength").asLong();
            Path file = length >= 0 ? body(id) : null;
            if (file != null && (!Files.exists(file) || Files.size(file) != length)) {
                return null;
            }
            return new CacheEntry(id, m.path("cache").asInt(), m.path("url").asText(),
                    new HeaderList(strings(m.path("requestHeaders"))), m.path("status").asInt(),
                    m.path("statusText").asText(), new HeaderList(strings(m.path("headers"))),
                    m.path("storedAt").asLong(), m.path("expiresAt").asLong(), length, null, file);
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static long idOf(String fileName) {
        int dot = fileName.indexOf('.');
        try {
            return Long.parseLong(fileName.substring(2, dot < 0 ? fileName.length() : dot));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return 0;
        }
    }

    private void writeAtomically(Path target, JsonNode value) {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try {
            JSON.writeValue(tmp.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cache folder " + dir + ": " + e.getMessage(), e);
        }
        move(tmp, target);
    }

    private static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cache folder: " + e.getMessage(), e);
        }
    }
}
