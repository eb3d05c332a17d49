package dev.nano.ext.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.nano.Version;
import dev.nano.testing.JsHarness;

/** navigator: the WorkerNavigator subset NANO answers. */
class NavigatorTest {
    @Test
    void reportsNanoAndTheHost() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    console.log(navigator.userAgent);
                    console.log(navigator.hardwareConcurrency);
                    console.log(navigator.language, JSON.stringify(navigator.languages), navigator.languages === navigator.languages,
                      Object.isFrozen(navigator.languages));
                    console.log(Object.prototype.toString.call(navigator), navigator instanceof Navigator, Object.keys(Navigator.prototype).join());
                    """);
            assertEquals("NANO/" + Version.get() + "\n" + Runtime.getRuntime().availableProcessors()
                    + "\nen-US [\"en-US\"] true true\n[object Navigator] true userAgent,language,languages,hardwareConcurrency", out);
            assertEquals("[]", js.uncaught().toString());
        }
    }

    @Test
    void isReadOnlyAndBranded() {
        try (JsHarness js = new JsHarness()) {
            String out = js.run("""
                    const desc = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
                    console.log(typeof desc.get, desc.set, desc.enumerable, desc.configurable);
                    try { navigator = 1; } catch (e) { console.log(e.constructor.name); }
                    try { new Navigator(); } catch (e) { console.log(e.constructor.name); }
                    try { Object.getOwnPropertyDescriptor(Navigator.prototype, 'userAgent').get.call({}); } catch (e) { console.log(e.constructor.name); }
                    console.log(typeof navigator);
                    """);
            assertEquals("function undefined true true\nTypeError\nTypeError\nTypeError\nobject", out);
        }
    }
}
