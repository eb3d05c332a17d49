package dev.nano.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where an app starts: a module file given directly, or in a folder the {@code main} named by the
 * folder's {@code nano.json} or {@code package.json}, else {@code index.js} / {@code index.mjs}.
 *
 * @param module the entry module, absolute
 * @param root the folder the app's imports may read (the folder, or the module's folder)
 */
public record AppEntry(Path module, Path root) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws ConfigException when there is no such file or the folder has no entry module */
    public static AppEntry resolve(Path path) throws ConfigException {
        Path abs = path.toAbsolutePath().normalize();
        if (Files.isRegularFile(abs)) {
            return new AppEntry(abs, abs.getParent());
        }
        if (!Files.isDirectory(abs)) {
            throw new ConfigException(abs + ": no such file or folder");
        }
        for (String manifest : new String[] {"nano.json", "package.json"}) {
            String main = mainOf(abs.resolve(manifest));
            if (main != null) {
                Path module = abs.resolve(main).normalize();
                if (!module.startsWith(abs)) {
                    throw new ConfigException(abs.resolve(manifest) + ": main \"" + main + "\" is outside the app folder");
                }
                if (!Files.isRegularFile(module)) {
                    throw new ConfigException(abs.resolve(manifest) + ": main \"" + main + "\" does not exist");
                }
                return new AppEntry(module, abs);
            }
        }
        for (String index : new String[] {"index.js", "index.mjs"}) {
            if (Files.isRegularFile(abs.resolve(index))) {
                return new AppEntry(abs.resolve(index), abs);
            }
        }
        throw new ConfigException(abs + ": no index.js, and no \"main\" in nano.json or package.json");
    }

    private static String mainOf(Path manifest) throws ConfigException {
        if (!Files.isRegularFile(manifest)) {
            return null;
        }
        try {
            JsonNode main = JSON.readTree(manifest.toFile()).get("main");
            return main != null && main.isTextual() && !main.asText().isEmpty() ? main.asText() : null;
        } catch (IOException e) {
            throw new ConfigException(manifest + ": " + e.getMessage());
        }
    }
}
