package dev.nano.apps;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches {@code nano.json} and every app's folder (recursively, without hidden folders and
 * {@code node_modules}) for changed code ({@code .js .mjs .cjs .json .wasm}) and reports changes once
 * they have settled for {@link #DEBOUNCE_MILLIS}, so that an editor's burst of writes gives one reload.
 */
public final class HotReloader implements AutoCloseable {
    /** What to do about settled changes. */
    public interface Listener {
        /** @param configChanged nano.json changed; @param apps names of apps whose files changed */
        void changed(boolean configChanged, Set<String> apps);
    }

    static final long DEBOUNCE_MILLIS = 250;
    private static final String[] SOURCE_EXTENSIONS = {".js", ".mjs", ".cjs", ".json", ".wasm"};
    private static final int MAX_FOLDERS = 5000;
    private static final Logger LOG = Logger.getLogger(HotReloader.class.getName());

    private final AppRegistry registry;
    private final Path configFile;
    private final Listener listener;
    private final WatchService watcher;
    private final Map<WatchKey, Path> folders = new HashMap<>();
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    /** The folders found under each app's root when it was last walked. */
    private final Map<Path, Set<Path>> foldersByRoot = new HashMap<>();
    /** How many roots (and the config file) want each folder watched; at most MAX_FOLDERS are. */
    private final Map<Path, Integer> wantedBy = new HashMap<>();
    /** The watched folders: {@link #folders} the other way round. */
    private final Map<Path, WatchKey> keysByFolder = new HashMap<>();
    /** The served apps the watches were last brought in line with, and how many of them have each root. */
    private List<App> watchedApps = List.of();
    private final Map<Path, Integer> appsPerRoot = new HashMap<>();
    /** Some wanted folders are not watched because MAX_FOLDERS were. */
    private boolean leftOut;
    /** Apps rooted under this folder are not watched (see {@link #doNotWatchUnder}); null: none. */
    private volatile Path unwatched;
    private final Thread thread;

    /** @param configFile the nano.json to watch, or null */
    public HotReloader(AppRegistry registry, Path configFile, Listener listener) throws IOException {
        this.registry = registry;
        this.configFile = configFile == null ? null : configFile.toAbsolutePath().normalize();
        this.listener = listener;
        this.watcher = FileSystems.getDefault().newWatchService();
        if (this.configFile != null) {
            want(Set.of(this.configFile.getParent())); // for good: nano.json stays watched
        }
        refresh();
        this.thread = Thread.ofPlatform().name("nano-reload").daemon(true).start(this::run);
    }

    /**
     * Apps whose root is under {@code folder} are not watched from now on: NANO's own copies of the
     * modules uploaded through the admin API, which nothing else edits (a new upload is a new admin
     * call). Watching them cost each added app ~0.4 ms of CPU (walking its folder, the OS watch) and
     * one of the {@link #MAX_FOLDERS} watches, which thousands of uploads would take from the apps
     * served from real folders.
     */
    public void doNotWatchUnder(Path folder) {
        this.unwatched = folder.toAbsolutePath().normalize();
    }

    /** How many folders are watched now. */
    synchronized int watchedFolders() {
        return keysByFolder.size();
    }

    /** The folders to watch for the app rooted at {@code root}: none for an upload. */
    private Set<Path> foldersOf(Path root) {
        Path skip = unwatched;
        Set<Path> found = new HashSet<>();
        if (skip == null || !root.startsWith(skip)) {
            collectFolders(root, found);
        }
        return found;
    }

    /**
     * As {@link #refresh()}, on a thread of its own: an admin call that added an app need not wait
     * for the OS to add the watches (a hand-off to the JDK's watch thread, ~2 ms on a busy machine).
     */
    public void refreshSoon() {
        if (refreshPending.compareAndSet(false, true)) {
            Thread.ofVirtual().name("nano-watch-refresh").start(() -> {
                refreshPending.set(false); // a change from now on starts another refresh
                refresh();
            });
        }
    }

    /**
     * Watches the folders of the apps served now (call after the set of apps changed). Only the
     * folders of apps new since the last call are walked: adding one app to many stays cheap.
     */
    public void refresh() {
        refresh(Set.of());
    }

    /**
     * As {@link #refresh()}, walking again the folders of the apps rooted at {@code rescan}. Only the
     * roots added, removed or rescanned change the watches: the cost of adding an app does not grow
     * with the number of apps (rebuilding every set of folders cost ~1.5 ms per added app at 1,700 apps).
     * When the served apps differ from those last seen by one app added, replaced or removed (an
     * admin call), only that app's root is counted in or out, without going over every app's root.
     */
    private synchronized void refresh(Set<Path> rescan) {
        List<App> now = registry.served();
        App[] change = rescan.isEmpty() ? oneChange(watchedApps, now) : null;
        boolean released = false;
        if (change != null) {
            if (change[0] != null) { // first: a root the new version shares with the old one stays watched
                oneMoreApp(change[0].entry().root());
            }
            if (change[1] != null) {
                released = oneAppLess(change[1].entry().root());
            }
        } else {
            released = recount(now, rescan);
        }
        watchedApps = now;
        if (released && leftOut) {
            leftOut = false;
            watch(wantedBy.keySet()); // room under MAX_FOLDERS again: watch the folders left out
        }
    }

    /**
     * {@code {added, removed}} when {@code now} is {@code before} with one app appended, replaced or
     * removed (either may be null), else null. Compares references only: cheap at thousands of apps.
     */
    static App[] oneChange(List<App> before, List<App> now) {
        int n = before.size();
        int m = now.size();
        int i = 0;
        while (i < n && i < m && before.get(i) == now.get(i)) {
            i++;
        }
        if (i == n && i == m) {
            return new App[2];
        } else if (m == n + 1 && i == n) {
            return new App[] {now.get(n), null};
        } else if (m == n && sameFrom(before, i + 1, now, i + 1)) {
            return new App[] {now.get(i), before.get(i)};
        } else if (m == n - 1 && sameFrom(before, i + 1, now, i)) {
            return new App[] {null, before.get(i)};
        }
        return null;
    }

    private static boolean sameFrom(List<App> a, int i, List<App> b, int j) {
        for (; i < a.size(); i++, j++) {
            if (a.get(i) != b.get(j)) {
                return false;
            }
        }
        return true;
    }

    private void oneMoreApp(Path root) {
        if (appsPerRoot.merge(root, 1, Integer::sum) == 1 && !foldersByRoot.containsKey(root)) {
            Set<Path> found = foldersOf(root);
            want(found);
            foldersByRoot.put(root, found);
        }
    }

    /** @return whether any watch was dropped */
    private boolean oneAppLess(Path root) {
        if (appsPerRoot.merge(root, -1, Integer::sum) > 0) {
            return false;
        }
        appsPerRoot.remove(root);
        Set<Path> folders = foldersByRoot.remove(root);
        return folders != null && unwant(folders);
    }

    /** Brings the watches in line with the roots of {@code apps}, rescanning {@code rescan}. @return whether any watch was dropped */
    private boolean recount(List<App> apps, Set<Path> rescan) {
        appsPerRoot.clear();
        for (App app : apps) {
            appsPerRoot.merge(app.entry().root(), 1, Integer::sum);
        }
        Set<Path> roots = appsPerRoot.keySet();
        boolean released = false;
        for (var it = foldersByRoot.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Set<Path>> e = it.next();
            if (!roots.contains(e.getKey())) {
                it.remove();
                released |= unwant(e.getValue());
            }
        }
        for (Path root : roots) {
            if (rescan.contains(root) || !foldersByRoot.containsKey(root)) {
                Set<Path> found = foldersOf(root);
                want(found); // before letting go of the old set: a folder in both stays watched
                Set<Path> old = foldersByRoot.put(root, found);
                if (old != null) {
                    released |= unwant(old);
                }
            }
        }
        return released;
    }

    /** Counts {@code dirs} as wanted once more each, and watches those not watched yet. */
    private void want(Set<Path> dirs) {
        for (Path dir : dirs) {
            wantedBy.merge(dir, 1, Integer::sum);
        }
        watch(dirs);
    }

    /** Watches those of {@code dirs} not watched yet, up to {@link #MAX_FOLDERS} in all. */
    private void watch(Iterable<Path> dirs) {
        for (Path dir : dirs) {
            if (!keysByFolder.containsKey(dir)) {
                if (keysByFolder.size() >= MAX_FOLDERS) {
                    leftOut = true;
                    return;
                }
                register(dir);
            }
        }
    }

    /** Counts {@code dirs} as wanted once less each; stops watching those no longer wanted. @return whether any watch was dropped */
    private boolean unwant(Set<Path> dirs) {
        boolean dropped = false;
        for (Path dir : dirs) {
            if (wantedBy.merge(dir, -1, Integer::sum) <= 0) {
                wantedBy.remove(dir);
                WatchKey key = keysByFolder.remove(dir);
                if (key != null) {
                    key.cancel();
                    folders.remove(key);
                    dropped = true;
                }
            }
        }
        return dropped;
    }

    private void register(Path dir) {
        try {
            WatchKey key = dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            folders.put(key, dir);
            keysByFolder.put(dir, key);
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.fine(() -> "cannot watch " + dir + ": " + e);
        }
    }

    private static void collectFolders(Path root, Set<Path> into) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    if (!dir.equals(root) && (name.startsWith(".") || name.equals("node_modules"))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (into.size() >= MAX_FOLDERS) {
                        return FileVisitResult.TERMINATE;
                    }
                    into.add(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.fine(() -> "cannot list " + root + ": " + e);
        }
    }

    private void run() {
        Set<Path> changed = new HashSet<>();
        try {
            while (true) {
                WatchKey key = changed.isEmpty() ? watcher.take() : watcher.poll(DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
                if (key == null) { // quiet for the debounce time: act on what piled up
                    report(changed);
                    changed.clear();
                    continue;
                }
                Path dir;
                synchronized (this) {
                    dir = folders.get(key);
                }
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (dir != null && event.context() instanceof Path name) {
                        Path path = dir.resolve(name);
                        // a new folder may hold code: reload, and watch it from now on
                        if (isSource(name.toString()) || event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                                && Files.isDirectory(path) && !name.toString().startsWith(".")) {
                            changed.add(path);
                        }
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop watching
        }
    }

    /**
     * Only code and manifests trigger a reload: a log written into an app's folder (even NANO's own
     * output, redirected there) must not, and editors' scratch files neither.
     */
    static boolean isSource(String name) {
        if (name.startsWith(".")) {
            return false;
        }
        for (String ext : SOURCE_EXTENSIONS) {
            if (name.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    private void report(Set<Path> changed) {
        boolean config = configFile != null && changed.contains(configFile);
        Set<String> apps = new HashSet<>();
        Set<Path> roots = new HashSet<>();
        for (App app : registry.served()) {
            Path root = app.entry().root();
            for (Path p : changed) {
                if (p.startsWith(root) && !p.equals(configFile)) {
                    apps.add(app.name());
                    roots.add(root);
                    break;
                }
            }
        }
        if (!config && apps.isEmpty()) {
            return;
        }
        try {
            listener.changed(config, apps);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "reload failed: " + e, e);
        }
        refresh(roots); // new folders, new apps
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            // closing anyway
        }
        thread.interrupt();
    }
}
