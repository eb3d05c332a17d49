package dev.nano.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class EventLoopTest {
    private static final long MS = 1_000_000L;

    @Test
    void timersRunByDeadlineThenBySchedulingOrder() {
        EventLoop loop = new EventLoop();
        List<String> order = new ArrayList<>();
        loop.execute(() -> {
            // deadlines far apart: on a loaded machine this thread can lose its core for milliseconds
            // between two calls, which turned 1 ms and 5 ms around
            loop.schedule(400 * MS, true, () -> order.add("400ms"));
            loop.schedule(0, true, () -> order.add("0ms-a"));
            loop.schedule(0, true, () -> order.add("0ms-b"));
            loop.schedule(100 * MS, true, () -> order.add("100ms"));
        });
        loop.runUntilIdle();
        assertEquals(List.of("0ms-a", "0ms-b", "100ms", "400ms"), order);
    }

    @Test
    void cancelledTimersDoNotRunAndDoNotKeepTheLoopAlive() {
        EventLoop loop = new EventLoop();
        List<String> ran = new ArrayList<>();
        loop.execute(() -> {
            EventLoop.Timer t = loop.schedule(60_000 * MS, true, () -> ran.add("late"));
            loop.schedule(0, true, () -> loop.cancel(t));
        });
        long t0 = System.nanoTime();
        loop.runUntilIdle();
        assertTrue(ran.isEmpty());
        assertTrue(System.nanoTime() - t0 < 5_000 * MS, "the cancelled 60 s timer kept the loop waiting");
    }

    @Test
    void unrefdTimersDoNotKeepTheLoopAlive() {
        EventLoop loop = new EventLoop();
        List<String> ran = new ArrayList<>();
        loop.execute(() -> loop.schedule(60_000 * MS, false, () -> ran.add("unref")));
        loop.runUntilIdle();
        assertTrue(ran.isEmpty());
    }

    @Test
    void tasksPostedFromOtherThreadsRunOnTheLoopThreadInOrder() throws Exception {
        EventLoop loop = new EventLoop();
        List<Integer> seen = new ArrayList<>();
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        loop.ref(); // outside work in flight: the loop must wait for it
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 1000; i++) {
                int n = i;
                loop.execute(() -> {
                    loopThread.compareAndSet(null, Thread.currentThread());
                    assertEquals(loopThread.get(), Thread.currentThread());
                    seen.add(n);
                });
            }
            loop.unref();
        });
        producer.start();
        loop.runUntilIdle();
        producer.join();
        assertEquals(1000, seen.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, seen.get(i));
        }
        assertEquals(Thread.currentThread(), loopThread.get());
    }

    @Test
    void anIdleServerLoopParksUntilATaskArrivesAndStops() throws Exception {
        EventLoop loop = new EventLoop();
        CountDownLatch ran = new CountDownLatch(1);
        Thread t = new Thread(loop::runForever);
        t.start();
        Thread.sleep(50);
        assertTrue(t.isAlive(), "runForever must not return when idle");
        loop.execute(ran::countDown);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        loop.stop();
        t.join(5000);
        assertFalse(t.isAlive());
    }
}
