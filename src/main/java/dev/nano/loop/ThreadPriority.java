package dev.nano.loop;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.logging.Logger;

/**
 * Puts the calling thread at the lowest OS scheduling priority (Linux: nice 19 for this thread only).
 * Java's own {@link Thread#setPriority} is ignored on Linux unless the JVM runs as root, so this calls
 * {@code setpriority(2)} through the FFM API; on other systems, or if the call is refused, it does
 * nothing. Under CFS a nice-19 thread gets about 1.5% of a core that a nice-0 thread also wants.
 */
public final class ThreadPriority {
    private static final Logger LOG = Logger.getLogger(ThreadPriority.class.getName());
    private static final int PRIO_PROCESS = 0; // with a thread id, Linux applies it to that thread
    private static final int LOWEST = 19;

    private ThreadPriority() {}

    /** @return whether the priority was lowered */
    public static boolean lowest() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return false;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle gettid = linker.downcallHandle(linker.defaultLookup().find("gettid").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
            MethodHandle setpriority = linker.downcallHandle(linker.defaultLookup().find("setpriority").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int tid = (int) gettid.invokeExact();
            return (int) setpriority.invokeExact(PRIO_PROCESS, tid, LOWEST) == 0;
        } catch (Throwable t) { // no native access, no such symbol: the thread keeps its priority
            LOG.fine("cannot lower the priority of " + Thread.currentThread().getName() + ": " + t);
            return false;
        }
    }
}
