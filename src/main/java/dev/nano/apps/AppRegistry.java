package dev.nano.apps;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

import dev.nano.ext.cache.CacheRegistry;

/**
 * The apps being served, by name, and the routing table built from them. Changes (start, reload,
 * admin calls) are serialized here; requests only read the current {@link AppRouter}, which is
 * replaced atomically. A new version of an app is loaded beside the old one and takes over only once
 * it has loaded; the old one finishes the requests it has.
 */
public final class AppRegistry {
    private static final Logger LOG = Logger.getLogger(AppRegistry.class.getName());
    static final long LOAD_TIMEOUT_SECONDS = 60;
    static final long PRESSURE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The outcome of adding or replacing an app. */
    public record Change(App app, boolean replaced, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private final AppServices services;
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final Set<String> fromAdmin = new HashSet<>();
    /** Versions replaced or removed, retired by the next {@link #publish()}. */
    private final List<App> retireAfterPublish = new ArrayList<>();
    private final Map<String, AppStats> stats = new ConcurrentHashMap<>();
    private final CacheRegistry caches = new CacheRegistry();
    private volatile AppRouter router = AppRouter.EMPTY;
    /** The versions being served, for the watchdog thread (which must never wait for this lock). */
    private volatile List<App> served = List.of();
    private long lastPressure; // watchdog thread only
    private String defaultApp;
    private int lastVersion;

    public AppRegistry(AppServices services) {
        this.services = services;
        services.workers().watchdog().every1s(this::evictIdle);
        services.workers().watchdog().onHeapPressure(this::evictForHeap);
    }

    /** Closes contexts unused for their app's {@code limits.idleMs}. Watchdog thread. */
    private void evictIdle() {
        long now = System.nanoTime();
        for (App app : served) {
            app.evictIdle(now);
        }
    }

    /**
     * The heap is short: closes the least recently used half of the idle contexts (at least one); if
     * it is short again within {@link #PRESSURE_WINDOW_NANOS}, all of them, and the busy ones once their
     * requests are done, since which context holds the memory cannot be known. Watchdog thread.
     */
    private void evictForHeap() {
        long now = System.nanoTime();
        boolean again = lastPressure != 0 && now - lastPressure < PRESSURE_WINDOW_NANOS;
        lastPressure = now;
        List<AppContext> idle = new ArrayList<>();
        Map<AppContext, App> owner = new java.util.IdentityHashMap<>();
        for (App app : served) {
            for (AppContext c : app.idleContexts()) {
                idle.add(c);
                owner.put(c, app);
            }
        }
        if (services.spares() != null) {
            services.spares().drain(); // spare contexts go first: no app has state in them
        }
        idle.sort(java.util.Comparator.comparingLong(AppContext::lastUsed));
        int n = again ? idle.size() : Math.max(1, idle.size() / 2);
        for (int i = 0; i < n && i < idle.size(); i++) {
            owner.get(idle.get(i)).evict(idle.get(i), AppStats.EVICTED_HEAP);
        }
        if (again) { // the busy ones too, as soon as they are done: one of them may hold the memory
            served.forEach(App::evictBusyWhenIdle);
        }
    }

    public AppServices services() {
        return services;
    }

    /** The routing table in force; read it once per request. */
    public AppRouter router() {
        return router;
    }

    public synchronized List<App> apps() {
        return List.copyOf(apps.values());
    }

    /**
     * The apps being served, as last published: without taking the lock (held while an app loads)
     * and without copying. Any thread.
     */
    public List<App> served() {
        return served;
    }

    public synchronized App get(String name) {
        return apps.get(name);
    }

    /** Counters per app name, for every app served since start. */
    public Map<String, AppStats> stats() {
        return stats;
    }

    /** Loads the apps of {@code config}; an app that fails to load stays, answering 503. */
    public synchronized void start(ServerConfig config) {
        apply(config, Set.of());
    }

    /**
     * Makes the served apps those of {@code config}: new and changed apps (and those in
     * {@code changedFiles}) load a new version, apps gone from the config are removed. Apps added
     * through the admin API stay unless the config now has an app of that name.
     */
    public synchronized void apply(ServerConfig config, Set<String> changedFiles) {
        Set<String> wanted = new HashSet<>();
        for (AppConfig app : config.apps()) {
            wanted.add(app.name());
            App current = apps.get(app.name());
            boolean wasFromAdmin = fromAdmin.remove(app.name()); // the config takes the name back
            if (current == null || wasFromAdmin || !current.config().equals(app)
                    || changedFiles.contains(app.name()) || current.status() == App.Status.FAILED) {
                Change change = load(app);
                if (!change.ok() && change.replaced()) {
                    LOG.severe("app '" + app.name() + "': the new version failed to load; the previous one keeps serving: "
                            + change.error());
                }
            }
        }
        for (String name : new ArrayList<>(apps.keySet())) {
            if (!wanted.contains(name) && !fromAdmin.contains(name)) {
                retireAfterPublish.add(apps.remove(name));
                caches.remove(name);
            }
        }
        defaultApp = config.defaultApp();
        publish();
    }

    /** Reloads {@code names} from their files (a source file changed). */
    public synchronized void reloadFiles(Set<String> names) {
        for (String name : names) {
            App current = apps.get(name);
            if (current != null) {
                Change change = load(current.config());
                if (!change.ok() && change.replaced()) {
                    LOG.severe("app '" + name + "': the changed files failed to load; the previous version keeps serving: "
                            + change.error());
                }
            }
        }
        publish();
    }

    /** Adds or replaces an app from the admin API. */
    public Change put(AppConfig config) {
        return put(config, null);
    }

    /**
     * Adds or replaces an app from the admin API.
     *
     * @param moduleText the text of the app's entry module, when the caller has just written it there
     *     (an upload): this version runs it without reading the file back; later versions read the file
     */
    public synchronized Change put(AppConfig config, String moduleText) {
        App before = apps.get(config.name());
        Change change = load(config, moduleText);
        if (change.ok() || !change.replaced()) {
            fromAdmin.add(config.name());
        }
        App after = apps.get(config.name());
        if (after != before) {
            publishChange(after, before);
        }
        return change;
    }

    public synchronized boolean remove(String name) {
        App app = apps.remove(name);
        if (app == null) {
            return false;
        }
        fromAdmin.remove(name);
        caches.remove(name);
        retireAfterPublish.add(app);
        publishChange(null, app);
        return true;
    }

    /** Stops every app: they close once their requests have finished. */
    public synchronized void retireAll() {
        apps.values().forEach(App::retire);
        apps.clear();
        router = AppRouter.EMPTY;
        served = List.of();
    }

    /**
     * Loads a new version of {@code config} and, if it loads (or there was no previous version),
     * puts it in place of the previous one. Not published yet: the caller publishes.
     */
    private Change load(AppConfig config) {
        return load(config, null);
    }

    private Change load(AppConfig config, String moduleText) {
        App previous = apps.get(config.name());
        App next;
        try {
            next = new App(config, ++lastVersion, services, stats.computeIfAbsent(config.name(), k -> new AppStats()),
                    caches.forApp(config.name(), config.cache()), moduleText);
        } catch (ConfigException | java.io.UncheckedIOException e) { // an unusable cache folder too
            return new Change(previous, previous != null, e.getMessage());
        }
        String error = awaitLoad(next);
        if (error != null && previous != null && previous.status() == App.Status.READY) {
            next.retire();
            return new Change(previous, true, error);
        }
        apps.put(config.name(), next);
        if (previous != null) {
            retireAfterPublish.add(previous);
        }
        return new Change(next, previous != null, error);
    }

    private static String awaitLoad(App app) {
        try {
            return app.warmUp().get(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "did not load within " + LOAD_TIMEOUT_SECONDS + " s";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while loading";
        }
    }

    /**
     * Switches the routing table, then retires the versions it no longer routes to: retired first, an
     * idle old version could close while the table still sent requests to it.
     */
    private void publish() {
        router = AppRouter.build(apps.values(), defaultApp == null ? null : apps.get(defaultApp));
        served = List.copyOf(apps.values());
        retireReplaced();
    }

    /**
     * As {@link #publish()} after one app changed: {@code app} (null: none) in place of {@code replaced}
     * (null: none). The served list is patched as an array copy: walking the apps' linked map to
     * copy it took 7 of the 68 JFR samples of the admin thread in adds at 1,000-1,400 apps.
     */
    private void publishChange(App app, App replaced) {
        router = router.with(app, replaced, defaultApp == null ? null : apps.get(defaultApp));
        App[] now = served.toArray(new App[0]);
        int at = -1;
        for (int i = 0; replaced != null && i < now.length && at < 0; i++) {
            at = now[i] == replaced ? i : -1;
        }
        App[] next;
        if (app != null && at >= 0) {
            next = now;
            next[at] = app;
        } else if (app != null) {
            next = java.util.Arrays.copyOf(now, now.length + 1);
            next[now.length] = app;
        } else if (at >= 0) {
            next = new App[now.length - 1];
            System.arraycopy(now, 0, next, 0, at);
            System.arraycopy(now, at + 1, next, at, now.length - at - 1);
        } else {
            next = now;
        }
        served = List.of(next);
        retireReplaced();
    }

    private void retireReplaced() {
        retireAfterPublish.forEach(App::retire);
        retireAfterPublish.clear();
    }
}
