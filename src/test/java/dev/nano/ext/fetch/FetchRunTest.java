package dev.nano.ext.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.nano.testing.NanoProcess;
import dev.nano.testing.NanoProcess.Result;

/** fetch() in {@code nano run}: the script waits for its fetches, then exits, even with a body left unread. */
class FetchRunTest {
    @Test
    void aScriptWaitsForItsFetchesAndExitsWithABodyLeftUnread() throws Exception {
        try (Upstream up = new Upstream()) {
            Result r = NanoProcess.runScript("""
                    const base = '%s';
                    fetch(base + '/slow?ms=300').then((res) => res.text()).then((t) => console.log('slow', t));
                    const unread = await fetch(base + '/body-hang');
                    console.log('unread', unread.status);
                    console.log(await (await fetch('data:,from%%20data')).text());
                    """.formatted(up.base()));
            assertEquals(0, r.exitCode(), r.stderr());
            // the slow fetch may finish before or after the others: compare the lines, not their order
            assertEquals(java.util.List.of("from data", "slow slow", "unread 200"), r.stdout().lines().sorted().toList());
        }
    }
}
