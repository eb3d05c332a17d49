package dev.nano.ext.cache;

import java.util.HashMap;
import java.util.Map;

/**
 * The Cache API stores of one server, by app name: an app's successive versions (reloads) share its
 * store, other apps never see it. A changed {@code cache} setting of an app gives it a new store.
 */
public final class CacheRegistry {
    private final Map<String, AppCache> stores = new HashMap<>();

    public synchronized AppCache forApp(String appName, CacheSettings settings) {
        AppCache store = stores.get(appName);
        if (store == null || !store.settings().equals(settings)) {
            store = new AppCache(settings);
            stores.put(appName, store);
        }
        return store;
    }

    /** Forgets a removed app's store (its disk folder, if any, stays for a later app of that name). */
    public synchronized void remove(String appName) {
        stores.remove(appName);
    }
}
