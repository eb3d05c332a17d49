package dev.nano.engine;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;

import org.graalvm.polyglot.io.FileSystem;

/**
 * The only file access JS has: reading module files below the app's root folder, for {@code import}.
 * Specifiers that are neither relative nor absolute paths ({@code node:fs}, {@code lodash}) are
 * refused with a message saying why, since NANO has no Node built-ins and no package resolution.
 *
 * <p>{@code import mod from './x.wasm'} gives a {@code WebAssembly.Module}, as in Cloudflare Workers
 * (GraalJS alone would instantiate it, per the Wasm ESM-integration proposal): the file system
 * answers for {@code x.wasm} a one-line JS module that takes the module through a source-phase
 * import of a virtual sibling, {@code x.wasm} + {@link #WASM_BYTES}, whose content is the file's bytes.
 *
 * <p>{@code import { env, WorkerEntrypoint } from 'cloudflare:workers'} reads a module NANO serves from
 * its resources, under {@link #BUILTIN}, a folder that exists nowhere (see {@link #BUILTINS}).
 *
 * <p>The root may be given after the context was built (a spare context, bootstrapped before it is
 * known which app takes it), but only once: until then no file may be read, and after it the root
 * never changes.
 */
final class ModuleFileSystem implements FileSystem {
    static final String WASM_BYTES = ".nano-bytes";
    private final FileSystem delegate = FileSystem.newReadOnlyFileSystem(FileSystem.newDefaultFileSystem());
    /** Where {@link #parsePath(URI)} puts URLs that are not files: see there. */
    private static final Path UNSUPPORTED = Path.of("/", ".nano-unsupported-import");
    /** Where the built-in modules seem to be: a folder that exists nowhere. */
    private static final Path BUILTIN = Path.of("/", ".nano-builtin");
    /** Built-in module specifiers, and the resource that holds each one's source. */
    private static final Map<String, String> BUILTINS = Map.of("cloudflare:workers", "dev/nano/ext/http/cloudflare_workers.js");
    private volatile Path root;
    private volatile boolean bound;

    /** A file system with no root yet: nothing may be read until {@link #bind}. */
    ModuleFileSystem() {}

    /**
     * Sets the folder imports may read (null: none) for good.
     *
     * @throws IllegalStateException if a root was already bound
     */
    synchronized void bind(Path newRoot) {
        if (bound) {
            throw new IllegalStateException("the module root of a context is bound once");
        }
        root = newRoot == null ? null : newRoot.toAbsolutePath().normalize();
        bound = true;
    }

    @Override
    public Path parsePath(URI uri) {
        if (BUILTINS.containsKey(uri.toString())) {
            return builtinPath(uri.toString());
        }
        if (!"file".equals(uri.getScheme())) {
            // A dynamic import('node:fs') or import('https://...') comes here. Refusing it here would
            // make GraalJS try the URL itself and fail with "Socket IO is not allowed"; a path in a
            // folder that exists nowhere makes the read fail in check(), with NANO's own message.
            return UNSUPPORTED.resolve(URLEncoder.encode(uri.toString(), StandardCharsets.UTF_8));
        }
        return delegate.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        // The engine resolves relative imports against the importing file itself; what reaches this
        // method unresolved is a bare specifier ("lodash") or a URL-like one ("node:fs").
        if (BUILTINS.containsKey(path)) {
            return builtinPath(path);
        }
        if (!(path.isEmpty() || path.equals(".") || path.startsWith("/") || path.startsWith("./") || path.startsWith("../"))) {
            throw unsupported(path);
        }
        return delegate.parsePath(path);
    }

    private static Path builtinPath(String specifier) {
        return BUILTIN.resolve(specifier.replace(':', '-') + ".js");
    }

    /** The built-in modules' sources by the path {@link #parsePath} gives each, read once. */
    private static final Map<Path, byte[]> BUILTIN_SOURCES = readBuiltins();

    private static Map<Path, byte[]> readBuiltins() {
        Map<Path, byte[]> sources = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : BUILTINS.entrySet()) {
            try (var in = ModuleFileSystem.class.getClassLoader().getResourceAsStream(e.getValue())) {
                if (in == null) {
                    throw new IllegalStateException("NANO's resource " + e.getValue() + " is missing");
                }
                sources.put(builtinPath(e.getKey()), in.readAllBytes());
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException("cannot read NANO's resource " + e.getValue(), ex);
            }
        }
        return Map.copyOf(sources);
    }

    /** The source of the built-in module at {@code path}, or null if it is not one. */
    private static byte[] builtin(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        if (!abs.startsWith(BUILTIN)) {
            return null;
        }
        byte[] source = BUILTIN_SOURCES.get(abs);
        if (source == null) {
            throw new NoSuchFileException(path.toString(), null, "no such built-in module");
        }
        return source;
    }

    private static UnsupportedOperationException unsupported(String specifier) {
        return new UnsupportedOperationException(unsupportedMessage(specifier));
    }

    static String unsupportedMessage(String specifier) {
        if (specifier.startsWith("node:")) {
            return "Cannot import '" + specifier + "': NANO has no Node.js built-in modules; use the Web APIs on globalThis";
        }
        return "Cannot import '" + specifier + "': only relative ('./x.js') and absolute file imports are supported";
    }

    private Path check(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        if (abs.startsWith(UNSUPPORTED) && abs.getNameCount() == UNSUPPORTED.getNameCount() + 1) {
            String specifier = URLDecoder.decode(fileName(abs), StandardCharsets.UTF_8);
            throw new AccessDeniedException(specifier, null, unsupportedMessage(specifier));
        }
        Path root = this.root;
        if (root == null || !abs.startsWith(root)) {
            throw new NoSuchFileException(path.toString(), null,
                    "outside the app folder" + (root == null ? "" : " " + root) + "; imports may only read the app's own files");
        }
        return abs;
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
            throw new SecurityException("read-only file system");
        }
        if (builtin(path) != null) {
            return;
        }
        delegate.checkAccess(check(real(path)), modes, linkOptions);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new SecurityException("read-only file system");
    }

    @Override
    public void delete(Path path) {
        throw new SecurityException("read-only file system");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption o : options) {
            if (o != StandardOpenOption.READ) {
                throw new SecurityException("read-only file system");
            }
        }
        byte[] builtin = builtin(path);
        if (builtin != null) {
            return new ByteArrayChannel(builtin);
        }
        String name = fileName(path);
        if (name.endsWith(".wasm")) {
            delegate.checkAccess(check(path), Set.of(AccessMode.READ));
            String module = "import source module from './" + name + WASM_BYTES + "'; export default module;\n";
            return new ByteArrayChannel(module.getBytes(StandardCharsets.UTF_8));
        }
        return delegate.newByteChannel(check(real(path)), options, attrs);
    }

    @Override
    public String getMimeType(Path path) {
        String name = fileName(path);
        if (name.endsWith(".wasm")) {
            return "application/javascript+module";
        }
        return name.endsWith(".wasm" + WASM_BYTES) ? "application/wasm" : null;
    }

    private static String fileName(Path path) {
        Path name = path.getFileName();
        return name == null ? "" : name.toString();
    }

    /** The file behind a path: the .wasm file for its virtual bytes sibling, else the path itself. */
    private static Path real(Path path) {
        String name = fileName(path);
        return name.endsWith(".wasm" + WASM_BYTES)
                ? path.resolveSibling(name.substring(0, name.length() - WASM_BYTES.length())) : path;
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) {
        throw new SecurityException("listing folders is not allowed");
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return delegate.toAbsolutePath(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        if (builtin(path) != null) {
            return path.toAbsolutePath().normalize();
        }
        Path real = delegate.toRealPath(check(real(path)), linkOptions);
        // The virtual sibling keeps its own name: it is another module than the .wasm file's wrapper.
        return real.equals(path) || !fileName(path).endsWith(WASM_BYTES)
                ? real : real.resolveSibling(fileName(real) + WASM_BYTES);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        byte[] builtin = builtin(path);
        if (builtin != null) {
            java.nio.file.attribute.FileTime epoch = java.nio.file.attribute.FileTime.fromMillis(0);
            return Map.of("size", (long) builtin.length, "isRegularFile", true, "isDirectory", false,
                    "isSymbolicLink", false, "isOther", false, "lastModifiedTime", epoch, "lastAccessTime", epoch,
                    "creationTime", epoch);
        }
        return delegate.readAttributes(check(real(path)), attributes, options);
    }
}
