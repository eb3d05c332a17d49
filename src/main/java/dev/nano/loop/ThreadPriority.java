package dev.nano.loop;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.logging.Logger;

/**
 * Puts the calling thread at the lowest OS scheduling priority (Linux: nice 19 for this thread only),
 * or in the batch scheduling class.
 * Java's own {@link Thread#setPriority} is ignored on Linux unless the JVM runs as root, so this calls
 * {@code setpriority(2)} through the FFM API; on other systems, or if the call is refused, it does
 * nothing. Under CFS a nice-19 thread gets about 1.5% of a core that a nice-0 thread also wants.
 */
public final class ThreadPriority {
    private static final Logger LOG = Logger.getLogger(ThreadPriority.class.getName());
    private static final int PRIO_PROCESS = 0; // with a thread id, Linux applies it to that thread
    private static final int LOWEST = 19;

    private ThreadPriority() {}

    /**
     * Marks the calling thread as batch work (Linux SCHED_BATCH, same nice): when it wakes it does not
     * preempt the thread running on its core, it waits for that one's turn to end, but it is not
     * starved as a nice-19 thread is. For housekeeping threads that wake on their own (the log writer)
     * and must not cut into a request in progress on the same core.
     *
     * @return whether the policy was set
     */
    public static boolean batch() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return false;
        }
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MethodHandle setscheduler = linker.downcallHandle(linker.defaultLookup().find("sched_setscheduler").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            java.lang.foreign.MemorySegment param = arena.allocate(ValueLayout.JAVA_INT); // sched_priority 0
            return (int) setscheduler.invokeExact(0, SCHED_BATCH, param) == 0; // 0: the calling thread
        } catch (Throwable t) { // no native access, no such symbol: the thread keeps its policy
            LOG.fine("cannot make " + Thread.currentThread().getName() + " a batch thread: " + t);
            return false;
        }
    }

    private static final int SCHED_BATCH = 3;

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
