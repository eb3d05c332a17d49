package dev.nano.server;

/** Told about every response once it is written: the access log and the metrics listen here. */
interface RequestObserver {
    /**
     * @param app the app's name, or null when no app took the request
     * @param path the path without the query
     */
    void completed(String app, String method, String host, String path, int status, long nanos, long bytes);
}
