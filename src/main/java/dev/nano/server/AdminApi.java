package dev.nano.server;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nano.apps.AppConfig;
import dev.nano.apps.AppRegistry;
import dev.nano.apps.ConfigException;

/** What the admin endpoints act on; implemented by {@link NanoServer}. */
interface AdminApi {
    AppRegistry registry();

    /** The bearer token every call but /healthz and /readyz needs, or null. */
    String token();

    /** "ready", "starting" or "draining". */
    String readiness();

    ServerMetrics metrics();

    /** An app from an admin request body: fields as in nano.json, or {@code module} (source text) instead of {@code path}. */
    AppConfig appConfig(String name, JsonNode body) throws ConfigException;

    /** Re-reads nano.json and every app's files; returns the config's problems (empty: reloaded). */
    List<String> reload();

    /** The set of apps changed: watch their folders. */
    void appsChanged();
}
