package dev.nano.apps;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which app a request goes to, as an immutable table swapped atomically on every change: first by
 * host (exact name, then the longest matching {@code *.suffix} wildcard, then apps without host
 * names), then by the longest path prefix that matches at a segment boundary. Requests no app claims
 * go to the default app, if there is one.
 */
public final class AppRouter {
    public static final AppRouter EMPTY = new AppRouter(Map.of(), List.of(), List.of(), null);

    private record Route(String prefix, App app) {}

    private record Wildcard(String suffix, List<Route> routes) {}

    private static final Comparator<Route> LONGEST_PREFIX_FIRST =
            Comparator.comparingInt((Route r) -> r.prefix.length()).reversed();

    private final Map<String, List<Route>> exact;
    private final List<Wildcard> wildcards;
    private final List<Route> anyHost;
    private final App defaultApp;

    private AppRouter(Map<String, List<Route>> exact, List<Wildcard> wildcards, List<Route> anyHost, App defaultApp) {
        this.exact = exact;
        this.wildcards = wildcards;
        this.anyHost = anyHost;
        this.defaultApp = defaultApp;
    }

    public static AppRouter build(Collection<App> apps, App defaultApp) {
        Map<String, List<Route>> exact = new HashMap<>();
        Map<String, List<Route>> wild = new HashMap<>();
        List<Route> anyHost = new ArrayList<>();
        for (App app : apps) {
            Route route = new Route(app.config().pathPrefix(), app);
            if (app.config().hostnames().isEmpty()) {
                anyHost.add(route);
            }
            for (String host : app.config().hostnames()) {
                if (host.startsWith("*.")) {
                    wild.computeIfAbsent(host.substring(1), k -> new ArrayList<>()).add(route);
                } else {
                    exact.computeIfAbsent(host, k -> new ArrayList<>()).add(route);
                }
            }
        }
        exact.replaceAll((k, v) -> sorted(v));
        List<Wildcard> wildcards = new ArrayList<>();
        wild.forEach((suffix, routes) -> wildcards.add(new Wildcard(suffix, sorted(routes))));
        wildcards.sort(Comparator.comparingInt((Wildcard w) -> w.suffix.length()).reversed());
        return new AppRouter(Map.copyOf(exact), List.copyOf(wildcards), sorted(anyHost), defaultApp);
    }

    /**
     * This table with {@code app} routed in place of {@code replaced} (null: a new app): only the
     * routes of the hosts the two name change, so adding one app to thousands does not rebuild every
     * app's routes. {@code app} null: {@code replaced} is removed.
     *
     * @param defaultApp the app for requests no route takes, or null
     */
    public AppRouter with(App app, App replaced, App defaultApp) {
        Map<String, List<Route>> exactNext = new HashMap<>(exact);
        List<Wildcard> wildNext = wildcards;
        List<Route> anyNext = anyHost;
        Route route = app == null ? null : new Route(app.config().pathPrefix(), app);
        List<String> hosts = app == null ? List.of() : app.config().hostnames();
        if (replaced != null) { // its hosts that the new version does not keep
            for (String host : replaced.config().hostnames()) {
                if (hosts.contains(host)) {
                    continue;
                } else if (host.startsWith("*.")) {
                    wildNext = withRoutes(wildNext, host.substring(1), replaced, null);
                } else {
                    exactNext.computeIfPresent(host, (k, routes) -> emptyToNull(withRoute(routes, replaced, null)));
                }
            }
        }
        for (String host : hosts) {
            if (host.startsWith("*.")) {
                wildNext = withRoutes(wildNext, host.substring(1), replaced, route);
            } else {
                exactNext.put(host, withRoute(exactNext.getOrDefault(host, List.of()), replaced, route));
            }
        }
        boolean anyBefore = replaced != null && replaced.config().hostnames().isEmpty();
        boolean anyAfter = app != null && hosts.isEmpty();
        if (anyBefore || anyAfter) {
            anyNext = withRoute(anyNext, replaced, anyAfter ? route : null);
        }
        return new AppRouter(exactNext, wildNext, anyNext, defaultApp);
    }

    /**
     * {@code routes} without {@code remove}'s route and with {@code add} (if not null), longest prefix
     * first; {@code add} takes the place of the route it replaces, as in {@link #build} (where a
     * replaced app keeps its place among routes of equal prefix length).
     */
    private static List<Route> withRoute(List<Route> routes, App remove, Route add) {
        List<Route> next = new ArrayList<>(routes.size() + 1);
        boolean added = false;
        for (Route r : routes) {
            if (r.app != remove) {
                next.add(r);
            } else if (add != null && !added) {
                next.add(add);
                added = true;
            }
        }
        if (add != null && !added) {
            next.add(add);
        }
        return sorted(next);
    }

    private static List<Route> emptyToNull(List<Route> routes) {
        return routes.isEmpty() ? null : routes;
    }

    /** {@code wildcards} with the routes of {@code suffix} changed as by {@link #withRoute}. */
    private static List<Wildcard> withRoutes(List<Wildcard> wildcards, String suffix, App remove, Route add) {
        List<Wildcard> next = new ArrayList<>(wildcards.size() + 1);
        boolean found = false;
        for (Wildcard w : wildcards) {
            if (w.suffix.equals(suffix)) {
                found = true;
                List<Route> routes = withRoute(w.routes, remove, add);
                if (!routes.isEmpty()) {
                    next.add(new Wildcard(suffix, routes));
                }
            } else {
                next.add(w);
            }
        }
        if (!found && add != null) {
            next.add(new Wildcard(suffix, List.of(add)));
            next.sort(Comparator.comparingInt((Wildcard w) -> w.suffix.length()).reversed());
        }
        return List.copyOf(next);
    }

    private static List<Route> sorted(List<Route> routes) {
        List<Route> copy = new ArrayList<>(routes);
        copy.sort(LONGEST_PREFIX_FIRST);
        return List.copyOf(copy);
    }

    /**
     * @param host the request's host, normalized by {@link #normalizeHost}
     * @param path the request's path, without the query
     * @return the app, or null when none takes the request
     */
    public App route(String host, String path) {
        List<Route> routes = exact.get(host);
        App app = routes == null ? null : match(routes, path);
        for (int i = 0; app == null && i < wildcards.size(); i++) {
            Wildcard w = wildcards.get(i);
            if (host.length() > w.suffix.length() && host.endsWith(w.suffix)) {
                app = match(w.routes, path);
            }
        }
        if (app == null) {
            app = match(anyHost, path);
        }
        return app != null ? app : defaultApp;
    }

    private static App match(List<Route> routes, String path) {
        for (Route r : routes) {
            String p = r.prefix;
            if (p.equals("/") || path.equals(p) || path.startsWith(p) && path.charAt(p.length()) == '/') {
                return r.app;
            }
        }
        return null;
    }

    /** The Host header as routes compare it: lowercase, without port and trailing dot. */
    public static String normalizeHost(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        int end = h.length();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            end = close < 0 ? end : close + 1;
        } else {
            int colon = h.lastIndexOf(':');
            end = colon < 0 ? end : colon;
        }
        if (end > 0 && h.charAt(end - 1) == '.') {
            end--;
        }
        return h.substring(0, end);
    }
}
