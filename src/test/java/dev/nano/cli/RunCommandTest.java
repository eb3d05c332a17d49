package dev.nano.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.nano.testing.NanoProcess;
import dev.nano.testing.NanoProcess.Result;

/** {@code nano run}, {@code nano version}, {@code nano help} as a user runs them: a child JVM, stdout, exit code. */
class RunCommandTest {

    /** The order Deno 2 prints for this script (checked with `deno run` on this machine; the interval is long enough that a slow interpreted run cannot reorder it). */
    @Test
    void mixedTimersPromisesAndMicrotasksPrintInDenosOrder() throws Exception {
        Result r = NanoProcess.runScript("""
                console.log('sync 1');
                setTimeout(() => console.log('timeout 0'), 0);
                setTimeout(() => {
                  console.log('timeout 1');
                  Promise.resolve().then(() => console.log('promise in timeout'));
                  queueMicrotask(() => console.log('microtask in timeout'));
                  setTimeout(() => console.log('nested timeout'), 0);
                }, 1);
                Promise.resolve().then(() => console.log('promise 1')).then(() => console.log('promise 2'));
                queueMicrotask(() => console.log('microtask 1'));
                const id = setInterval(() => { console.log('interval'); clearInterval(id); }, 200);
                (async () => { await null; console.log('async after await'); })();
                console.log('sync 2');
                """);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("""
                sync 1
                sync 2
                promise 1
                microtask 1
                async after await
                promise 2
                timeout 0
                timeout 1
                promise in timeout
                microtask in timeout
                nested timeout
                interval
                """, r.stdout());
    }

    @Test
    void uncaughtExceptionPrintsStackWithFileLineColumnAndExits1() throws Exception {
        Result r = NanoProcess.runScript("""
                function f() {
                  throw new Error('boom');
                }
                setTimeout(f, 0);
                """);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("Uncaught Error: boom"), r.stderr());
        assertTrue(r.stderr().matches("(?s).*main\\.js:2:\\d+.*"), r.stderr());
    }

    @Test
    void unhandledRejectionExits1() throws Exception {
        Result r = NanoProcess.runScript("""
                async function later() { await null; throw new TypeError('nobody caught me'); }
                later();
                setTimeout(() => console.log('not reached'), 50);
                """);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("Uncaught (in promise) TypeError: nobody caught me"), r.stderr());
        assertEquals("", r.stdout());
    }

    @Test
    void aRejectionHandledInTheSameTickIsNotReported() throws Exception {
        Result r = NanoProcess.runScript("""
                const p = Promise.reject(new Error('x'));
                queueMicrotask(() => p.catch(() => console.log('caught')));
                """);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("caught\n", r.stdout());
    }

    @Test
    void syntaxErrorNamesFileLineAndColumn() throws Exception {
        Result r = NanoProcess.runScript("const a = 1;\nconst b = ;\n");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("SyntaxError"), r.stderr());
        assertTrue(r.stderr().matches("(?s).*main\\.js:2:\\d+.*"), r.stderr());
    }

    @Test
    void relativeImportsWorkAndNodeOrBareImportsFailClearly() throws Exception {
        Path dir = Files.createTempDirectory("nano-imports");
        Files.writeString(dir.resolve("lib.js"), "export const answer = 41 + 1;\n");
        Files.writeString(dir.resolve("main.js"), "import { answer } from './lib.js';\nconsole.log(answer);\n");
        Files.writeString(dir.resolve("node.js"), "import fs from 'node:fs';\n");
        Files.writeString(dir.resolve("bare.js"), "import _ from 'lodash';\n");

        Result ok = NanoProcess.run(null, "run", dir.resolve("main.js").toString());
        assertEquals(0, ok.exitCode(), ok.stderr());
        assertEquals("42\n", ok.stdout());

        Result node = NanoProcess.run(null, "run", dir.resolve("node.js").toString());
        assertEquals(1, node.exitCode());
        assertTrue(node.stderr().contains("Cannot import 'node:fs'") && node.stderr().contains("no Node.js built-in"),
                node.stderr());

        Result bare = NanoProcess.run(null, "run", dir.resolve("bare.js").toString());
        assertEquals(1, bare.exitCode());
        assertTrue(bare.stderr().contains("Cannot import 'lodash'"), bare.stderr());
    }

    @Test
    void topLevelAwaitRunsToCompletion() throws Exception {
        Result r = NanoProcess.runScript("""
                await new Promise((resolve) => setTimeout(resolve, 10));
                console.log('after await');
                """);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("after await\n", r.stdout());
    }

    @Test
    void readsTheModuleFromStdin() throws Exception {
        Result r = NanoProcess.run("console.log('from stdin', 1 + 1);", "run", "-");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("from stdin 2\n", r.stdout());
    }

    @Test
    void missingFileIsAClearError() throws Exception {
        Result r = NanoProcess.run(null, "run", "/nonexistent/nope.js");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("Module not found: /nonexistent/nope.js"), r.stderr());
    }

    @Test
    void versionAndHelp() throws Exception {
        Result version = NanoProcess.run(null, "version");
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().startsWith("nano "), version.stdout());

        Result help = NanoProcess.run(null, "help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("run") && help.stdout().contains("version"), help.stdout());
    }

    @Test
    void javaAndHostAccessAreAbsentFromJs() throws Exception {
        Result r = NanoProcess.runScript("""
                console.log([typeof Java, typeof Polyglot, typeof Packages, typeof load, typeof print,
                  typeof Graal, typeof require, typeof process].join(' '));
                """);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("undefined undefined undefined undefined undefined undefined undefined undefined\n", r.stdout());
    }
}
