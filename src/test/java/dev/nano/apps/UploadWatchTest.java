package dev.nano.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.nano.engine.NanoEngine;

/** The watcher leaves out the folders of admin uploads (only NANO writes there) and watches the others. */
class UploadWatchTest {
    private static final String MODULE = "export default { fetch: () => new Response('hi') };\n";

    @Test
    void appsUnderTheUploadsFolderAreNotWatched() throws Exception {
        Path tmp = Files.createTempDirectory("upload-watch");
        Path uploads = Files.createDirectories(tmp.resolve("uploads"));
        Path upload = Files.createDirectories(uploads.resolve("up-1"));
        Files.writeString(upload.resolve("index.js"), MODULE);
        Path real = Files.createDirectories(tmp.resolve("real"));
        Files.createDirectories(real.resolve("lib"));
        Files.writeString(real.resolve("index.js"), MODULE);

        try (NanoEngine engine = new NanoEngine(); WorkerPool pool = new WorkerPool(1)) {
            AppRegistry registry = new AppRegistry(new AppServices(engine, pool, new EventLog(line -> {}, false), 1024, 1000));
            try (HotReloader reloader = new HotReloader(registry, null, (config, apps) -> {})) {
                reloader.doNotWatchUnder(uploads);
                assertTrue(registry.put(AppConfig.single("up", upload)).ok());
                reloader.refresh();
                assertEquals(0, reloader.watchedFolders(), "an upload's folder");

                assertTrue(registry.put(AppConfig.single("real", real)).ok());
                reloader.refresh();
                assertEquals(2, reloader.watchedFolders(), "the app's folder and its lib/");

                assertTrue(registry.remove("real"));
                reloader.refresh();
                assertEquals(0, reloader.watchedFolders(), "the removed app's folders are let go");
            } finally {
                registry.retireAll();
            }
        }
    }
}
