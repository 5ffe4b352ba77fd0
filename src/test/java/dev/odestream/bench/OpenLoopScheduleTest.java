package dev.odestream.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopScheduleTest {

    /** A simulated clock: sleeping jumps to the wake-up time; a send may take time of its own. */
    private static final class FakeTicker implements OpenLoopSchedule.Ticker {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepUntil(long nanos) {
            now = Math.max(now, nanos);
        }
    }

    @Test
    void shouldSpaceSendsEvenlyWithoutDrift() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(3, 1_000);
        assertEquals(1_000, schedule.dueNanos(0));
        assertEquals(1_000 + 333_333_333, schedule.dueNanos(1));
        assertEquals(1_000 + 1_000_000_000L * 1_000, schedule.dueNanos(3_000), "no rounding error accumulates");
    }

    @Test
    void shouldKeepDueTimesThroughAStallAndCatchUpAtOnce() throws InterruptedException {
        FakeTicker ticker = new FakeTicker();
        OpenLoopSchedule schedule = new OpenLoopSchedule(100, 0);
        List<long[]> sends = new ArrayList<>();
        long made = schedule.run(1_000_000_000L, ticker, (k, due) -> {
            sends.add(new long[] {k, due, ticker.now});
            if (k == 10) {
                ticker.now += 250_000_000L;
            }
        });
        assertEquals(100, made, "one second at 100/s, whatever the stall");
        for (long[] s : sends) {
            assertEquals(schedule.dueNanos(s[0]), s[1], "due time of send " + s[0] + " moved");
            assertTrue(s[2] >= s[1], "send " + s[0] + " went out before it was due");
        }
        long[] afterStall = sends.get(11);
        assertEquals(350_000_000L, afterStall[2], "the send after the stall goes out when the stall ends");
        assertEquals(110_000_000L, afterStall[1], "and it is measured from when it was due");
        assertEquals(sends.get(11)[2], sends.get(35)[2], "the backlog goes out at once");
        assertEquals(sends.get(40)[1], sends.get(40)[2], "then the schedule is kept again");
    }

    @Test
    void shouldRefuseAZeroRate() {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 0));
    }
}
