package dev.nano.apps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How the watcher tells one admin change from any other change of the served apps. */
class HotReloaderTest extends UnservedApps {
    private static App app(String name) throws ConfigException {
        return new App(AppConfig.single(name, module), 1, services, new AppStats());
    }

    @Test
    void oneAppAddedReplacedOrRemovedIsToldApartFromOtherChanges() throws Exception {
        App a = app("a");
        App b = app("b");
        App c = app("c");
        App b2 = app("b");
        assertArrayEquals(new App[2], HotReloader.oneChange(List.of(a, b), List.of(a, b)));
        assertArrayEquals(new App[] {a, null}, HotReloader.oneChange(List.of(), List.of(a)));
        assertArrayEquals(new App[] {c, null}, HotReloader.oneChange(List.of(a, b), List.of(a, b, c)));
        assertArrayEquals(new App[] {b2, b}, HotReloader.oneChange(List.of(a, b, c), List.of(a, b2, c)));
        assertArrayEquals(new App[] {null, b}, HotReloader.oneChange(List.of(a, b, c), List.of(a, c)));
        assertArrayEquals(new App[] {null, c}, HotReloader.oneChange(List.of(a, b, c), List.of(a, b)));
        assertNull(HotReloader.oneChange(List.of(a), List.of(a, b, c)), "two added");
        assertNull(HotReloader.oneChange(List.of(a, b, c), List.of(c, b, a)), "reordered");
        assertNull(HotReloader.oneChange(List.of(a, b, c), List.of(b2)), "several removed");
        assertNull(HotReloader.oneChange(List.of(a, b), List.of(b2, c)), "two replaced");
    }
}
