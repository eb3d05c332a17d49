package dev.nano.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.SucceededFuture;

/**
 * The worker of {@link EmbeddedServer}: its tasks go to the EmbeddedChannel's own event loop, as a
 * NANO worker's go to the I/O thread that reads its connections, and run on the JMH thread when it
 * drains that loop. A task posted from another thread (the app loader at set-up, the watchdog) waits
 * in a queue of its own until the JMH thread {@link #runForeign() runs it}: Netty's embedded loop is
 * not safe to post to from other threads.
 */
final class CallerLoop extends AbstractEventExecutor {
    private final EventLoop embedded;
    private final Thread owner;
    private final ConcurrentLinkedQueue<Runnable> foreign = new ConcurrentLinkedQueue<>();
    private final Future<?> terminated = new SucceededFuture<>(this, null);

    CallerLoop(EventLoop embedded, Thread owner) {
        this.embedded = embedded;
        this.owner = owner;
    }

    @Override
    public boolean inEventLoop(Thread thread) {
        return thread == owner;
    }

    @Override
    public void execute(Runnable task) {
        if (Thread.currentThread() == owner) {
            embedded.execute(task);
        } else {
            foreign.add(task);
        }
    }

    /** Runs the tasks other threads posted; owner thread. */
    void runForeign() {
        for (Runnable task; (task = foreign.poll()) != null; ) {
            task.run();
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        requireOwner();
        return embedded.schedule(command, delay, unit);
    }

    private void requireOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("timers are scheduled from the loop's own thread only");
        }
    }

    @Override
    public boolean isShuttingDown() {
        return false;
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return terminated;
    }

    @Override
    public Future<?> terminationFuture() {
        return terminated;
    }

    @Override
    @Deprecated
    public void shutdown() {}

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
