package dev.nano.engine;

import java.util.List;
import java.util.function.Function;

/**
 * One Web API family: the JS files it loads into every context (in order, from
 * {@code resources/dev/nano/ext/<name>/}) and the Java ops object those files receive.
 *
 * <p>Each script is evaluated as the body of {@code function (ops, internal) { ... }}: {@code ops} is
 * this extension's ops object for the context, {@code internal} an object shared by NANO's own
 * scripts only (app code never sees either).
 *
 * @param name folder name under {@code dev/nano/ext/}
 * @param scripts file names, in load order
 * @param ops creates the ops object for one context; may return a shared stateless instance
 */
public record Extension(String name, List<String> scripts, Function<JsRuntime, Object> ops) {

    public static Extension of(String name, Function<JsRuntime, Object> ops, String... scripts) {
        return new Extension(name, List.of(scripts), ops);
    }

    public static Extension jsOnly(String name, String... scripts) {
        return new Extension(name, List.of(scripts), rt -> null);
    }
}
