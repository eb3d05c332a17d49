package dev.nano.apps;

import dev.nano.engine.NanoEngine;

/**
 * What every app version shares: the engine its contexts are created on, the worker threads they
 * run on, the log their output and errors go to, and the server's default limits.
 *
 * @param defaultMaxBodyBytes body limit of apps that set none
 * @param defaultTimeoutMs answer deadline of apps that set none
 * @param spares bootstrapped contexts that new contexts start from; null: each is built when needed
 */
public record AppServices(NanoEngine engine, WorkerPool workers, EventLog log, long defaultMaxBodyBytes,
                          long defaultTimeoutMs, ContextPool spares) {
    /** Services without spare contexts. */
    public AppServices(NanoEngine engine, WorkerPool workers, EventLog log, long defaultMaxBodyBytes,
                       long defaultTimeoutMs) {
        this(engine, workers, log, defaultMaxBodyBytes, defaultTimeoutMs, null);
    }
}
