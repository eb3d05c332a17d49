package dev.nano.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.DefaultEventLoop;

/** An {@link EventLoop} driven by a Netty event loop: same ordering as a self-run loop, on Netty's thread. */
class DrivenEventLoopTest {
    private static final long MS = 1_000_000L;
    private final DefaultEventLoop netty = new DefaultEventLoop();
    private final EventLoop loop = EventLoop.drivenBy(netty);

    @AfterEach
    void stop() {
        netty.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private <T> T onLoop(java.util.function.Supplier<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(work.get()));
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void timersRunByDeadlineThenBySchedulingOrderOnNettysThread() throws Exception {
        List<String> order = new ArrayList<>();
        CompletableFuture<Thread> last = new CompletableFuture<>();
        loop.execute(() -> {
            // deadlines far apart: on a loaded machine this thread can lose its core for milliseconds
            // between two calls, which turned 1 ms and 5 ms around
            loop.schedule(400 * MS, true, () -> {
                order.add("400ms");
                last.complete(Thread.currentThread());
            });
            loop.schedule(0, true, () -> order.add("0ms-a"));
            loop.schedule(0, true, () -> order.add("0ms-b"));
            loop.schedule(100 * MS, true, () -> order.add("100ms"));
        });
        Thread fired = last.get(5, TimeUnit.SECONDS);
        assertTrue(netty.submit(() -> Thread.currentThread() == fired).get(5, TimeUnit.SECONDS), "timers run on Netty's thread");
        assertEquals(List.of("0ms-a", "0ms-b", "100ms", "400ms"), onLoop(() -> List.copyOf(order)));
        assertTrue(onLoop(loop::inLoopThread));
        assertFalse(loop.inLoopThread());
    }

    @Test
    void cancelledTimersDoNotRun() throws Exception {
        List<String> ran = new ArrayList<>();
        CountDownLatch last = new CountDownLatch(1);
        loop.execute(() -> {
            EventLoop.Timer t = loop.schedule(20 * MS, true, () -> ran.add("cancelled"));
            loop.schedule(0, true, () -> loop.cancel(t));
            loop.schedule(50 * MS, true, () -> ran.add("kept"));
            loop.schedule(60 * MS, true, last::countDown);
        });
        assertTrue(last.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("kept"), onLoop(() -> List.copyOf(ran)));
    }

    @Test
    void executeNowRunsAtOnceBetweenTasksButIsPostedFromInsideATask() throws Exception {
        List<String> order = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        // a plain Netty task (as Netty's I/O code would be): the loop's task runs inline
        netty.execute(() -> {
            loop.executeNow(() -> {
                order.add("outer");
                loop.executeNow(() -> order.add("nested")); // inside a task: posted, never re-entrant
                order.add("outer end");
            });
            order.add("after outer");
            loop.execute(() -> done.complete(null));
        });
        done.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("outer", "outer end", "after outer", "nested"), onLoop(() -> List.copyOf(order)));
    }

    @Test
    void aThrowingTaskDoesNotStopTheLoopAndStopDropsLaterTasks() throws Exception {
        loop.execute(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        assertSame(Boolean.TRUE, onLoop(() -> Boolean.TRUE));
        assertThrows(IllegalStateException.class, loop::runForever);
        loop.stop();
        List<String> ran = new ArrayList<>();
        loop.execute(() -> ran.add("late"));
        CompletableFuture<Void> drained = new CompletableFuture<>();
        netty.execute(() -> drained.complete(null));
        drained.get(5, TimeUnit.SECONDS);
        assertTrue(ran.isEmpty());
    }
}
