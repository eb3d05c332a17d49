package dev.nano.apps;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that need App objects but no server (routing, watching): one worker, no log, and
 * an empty module file that every app points at. Apps made here are never loaded.
 */
abstract class UnservedApps {
    static WorkerPool pool;
    static AppServices services;
    static Path module;

    @BeforeAll
    static void setUpApps() throws Exception {
        pool = new WorkerPool(1);
        services = new AppServices(null, pool, new EventLog(line -> {}, false), 1024, 1000);
        module = Files.createTempFile("unserved", ".js");
    }

    @AfterAll
    static void tearDownApps() {
        pool.close();
    }
}
