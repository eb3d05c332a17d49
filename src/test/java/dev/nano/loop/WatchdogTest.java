package dev.nano.loop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The watchdog's own behaviour, apart from JS (JsRuntimeLimitsTest covers stopping real tasks). */
class WatchdogTest {
    @Test
    void withNoTaskRunningItDozesAndTheNextTaskWakesItAndIsStopped() throws Exception {
        try (Watchdog watchdog = new Watchdog()) {
            Watchdog.Slot slot = watchdog.newSlot();
            awaitDozing(watchdog);

            // a task that spins past its CPU limit, begun while the watchdog dozes: its begin wakes it
            CountDownLatch stopped = new CountDownLatch(1);
            Watchdog.Budget budget = new Watchdog.Budget(TimeUnit.MILLISECONDS.toNanos(20), Long.MAX_VALUE, null,
                    overrun -> stopped.countDown());
            Thread worker = Thread.ofPlatform().start(() -> {
                slot.begin(budget);
                try {
                    while (stopped.getCount() > 0) {
                        Thread.onSpinWait();
                    }
                } finally {
                    slot.end();
                }
            });
            assertTrue(stopped.await(30, TimeUnit.SECONDS), "the spinning task was never stopped");
            worker.join();

            // idle again: it dozes again
            awaitDozing(watchdog);
        }
    }

    @Test
    void aTaskThatBeginsWhileItDozesWakesIt() throws Exception {
        try (Watchdog watchdog = new Watchdog()) {
            Watchdog.Slot slot = watchdog.newSlot();
            awaitDozing(watchdog);
            slot.begin(new Watchdog.Budget(Long.MAX_VALUE, Long.MAX_VALUE, null, overrun -> { }));
            try {
                assertFalse(watchdog.dozing(), "begin did not wake the watchdog");
            } finally {
                slot.end();
            }
        }
    }

    private static void awaitDozing(Watchdog watchdog) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!watchdog.dozing()) {
            assertTrue(System.nanoTime() < deadline, "the watchdog never dozed with no task running");
            Thread.sleep(10);
        }
    }
}
