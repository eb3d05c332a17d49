package dev.nano.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AppRouterTest extends UnservedApps {
    private static App app(String name, String prefix, String... hosts) throws ConfigException {
        return new App(new AppConfig(name, List.of(hosts), prefix, module, "{}", AppLimits.DEFAULTS), 1, services, new AppStats());
    }

    private static String route(AppRouter r, String host, String path) {
        App a = r.route(AppRouter.normalizeHost(host), path);
        return a == null ? null : a.name();
    }

    @Test
    void exactThenLongestWildcardThenAnyHostThenDefault() throws Exception {
        List<App> apps = new ArrayList<>(List.of(
                app("exact", "/", "shop.test"),
                app("api", "/api", "shop.test"),
                app("apiv2", "/api/v2", "shop.test"),
                app("wild", "/", "*.test"),
                app("deeper", "/", "*.b.test"),
                app("any", "/any")));
        App fallback = app("fallback", "/");
        AppRouter r = AppRouter.build(apps, fallback);
        assertEquals("exact", route(r, "shop.test", "/"));
        assertEquals("exact", route(r, "Shop.Test:8080", "/apis"));
        assertEquals("api", route(r, "shop.test", "/api"));
        assertEquals("api", route(r, "shop.test", "/api/v1/x"));
        assertEquals("apiv2", route(r, "shop.test", "/api/v2/x"));
        assertEquals("wild", route(r, "a.test", "/"));
        assertEquals("deeper", route(r, "a.b.test", "/"));
        assertEquals("wild", route(r, "b.test", "/"), "*.b.test does not take b.test itself");
        assertEquals("any", route(r, "elsewhere.org", "/any/thing"));
        assertEquals("fallback", route(r, "elsewhere.org", "/"));
        assertNull(route(AppRouter.build(apps, null), "elsewhere.org", "/"));
    }

    @Test
    void addingReplacingAndRemovingOneAppRoutesAsARebuildWould() throws Exception {
        List<String[]> probes = List.of(new String[] {"shop.test", "/"}, new String[] {"shop.test", "/api/x"},
                new String[] {"a.test", "/"}, new String[] {"a.b.test", "/api"}, new String[] {"other.org", "/"},
                new String[] {"other.org", "/any/x"}, new String[] {"new.test", "/"});
        List<App> apps = new ArrayList<>();
        AppRouter r = AppRouter.build(apps, null);
        App[][] steps = { // {app, the app it replaces (or null)}; app null: remove
            {app("exact", "/", "shop.test"), null},
            {app("wild", "/", "*.test"), null},
            {app("api", "/api", "shop.test", "*.b.test"), null},
            {app("any", "/any"), null},
            {app("fallback", "/"), null},
        };
        for (App[] step : steps) {
            apps.add(step[0]);
            r = r.with(step[0], null, null);
            assertRoutesAsBuilt(apps, r, probes);
        }
        App apiMoved = app("api", "/api", "new.test"); // replaced: its hosts change
        r = r.with(apiMoved, apps.set(2, apiMoved), null);
        assertRoutesAsBuilt(apps, r, probes);
        assertEquals("wild", route(r, "a.b.test", "/api"), "the old version's wildcard host is gone");
        assertEquals("api", route(r, "new.test", "/api/x"));
        App anyNowHosted = app("any", "/any", "other.org"); // from any host to one
        r = r.with(anyNowHosted, apps.set(3, anyNowHosted), null);
        assertRoutesAsBuilt(apps, r, probes);
        App wildGone = apps.remove(1);
        r = r.with(null, wildGone, null);
        assertRoutesAsBuilt(apps, r, probes);
        App fallback = apps.remove(apps.size() - 1);
        r = r.with(null, fallback, apps.get(0));
        assertEquals("exact", route(r, "nowhere.org", "/"), "the default app takes what no route takes");
    }

    private static void assertRoutesAsBuilt(List<App> apps, AppRouter changed, List<String[]> probes) {
        AppRouter built = AppRouter.build(apps, null);
        for (String[] p : probes) {
            assertEquals(route(built, p[0], p[1]), route(changed, p[0], p[1]), p[0] + p[1] + " with " + apps);
        }
    }

    @Test
    void hostsAreNormalized() {
        assertEquals("shop.test", AppRouter.normalizeHost("SHOP.test.:443"));
        assertEquals("[::1]", AppRouter.normalizeHost("[::1]:8080"));
        assertEquals("localhost", AppRouter.normalizeHost("localhost"));
    }
}
