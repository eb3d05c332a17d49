package dev.nano.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.nano.loop.EventLoop;
import dev.nano.testing.JsHarness;

/** A spare context (bootstrapped before its app is known) reads no file until bound, and is bound once. */
class SpareContextTest {
    @TempDir
    Path dir;

    @Test
    void readsNoFileUntilBoundThenOnlyItsRootAndIsBoundOnce() throws Exception {
        Files.writeString(dir.resolve("x.js"), "export const v = 'x';");
        String importX = "import { v } from '" + dir.resolve("x.js").toUri() + "'; console.log(v); export default v;";
        List<String> printed = new ArrayList<>();
        try (JsRuntime spare = JsRuntime.spare(JsHarness.engine(), new EventLoop())) {
            spare.evalScript("console.log('before bind')", "spare.js");
            PolyglotException refused = assertThrows(PolyglotException.class, () -> spare.evalModule(importX, "a.js"));
            assertTrue(refused.getMessage().contains("outside the app folder"), refused.getMessage());

            spare.bind(dir, (level, text) -> printed.add(text));
            assertEquals("x", spare.evalModule(importX, "b.js").getMember("default").asString());
            assertEquals(List.of("x"), printed, "console output goes to the sink bound, none before");
            assertThrows(IllegalStateException.class, () -> spare.bind(dir.getParent(), (level, text) -> {}));
        }
    }
}
