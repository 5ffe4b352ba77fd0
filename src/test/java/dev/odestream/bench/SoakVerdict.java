package dev.odestream.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges a soak run from its per-interval samples, first interval against last: heap after GC grows by at most
 * {@link Limits#heapGrowth}, no errors of any kind in any interval, the update and query p99 at most
 * {@link Limits#p99Factor} times their first-interval values, and the backlog at the end at most
 * {@link Limits#maxBacklog} events (the engine keeps up with the offered load).
 */
public final class SoakVerdict {

    private SoakVerdict() {
    }

    /**
     * What went wrong in one interval, counted separately so a failure says where to look.
     *
     * @param httpNon2xx query answers with a status outside 200-299
     * @param httpFailed queries with no answer (connection error or timeout)
     * @param deadLetters input records the engine sent to the dead-letter topic
     * @param late input records the engine sent to the late topic (the load is in order, so none are expected)
     * @param forecastFailures accepted events whose forecast failed
     * @param streamExceptions uncaught exceptions on stream threads
     * @param producerErrors input records the load producer failed to write
     */
    public record Errors(long httpNon2xx, long httpFailed, long deadLetters, long late, long forecastFailures,
                         long streamExceptions, long producerErrors) {

        /** @return all of them. */
        public long total() {
            return httpNon2xx + httpFailed + deadLetters + late + forecastFailures + streamExceptions
                    + producerErrors;
        }
    }

    /**
     * One interval of the soak.
     *
     * @param index interval number, from 1
     * @param eventsPerSecond input events the engine accepted per second in the interval
     * @param backlog events produced but not yet accepted, at the end of the interval
     * @param heapAfterGcMb heap in use after a full collection at the end of the interval, MiB
     * @param updateP99Ms p99 of the engine's per-event update latency in the interval
     * @param queryP50Ms median query latency (from the due time) in the interval
     * @param queryP99Ms p99 query latency in the interval
     * @param queries queries answered or failed in the interval
     * @param errors what went wrong in the interval
     */
    public record Sample(int index, double eventsPerSecond, long backlog, double heapAfterGcMb, double updateP99Ms,
                         double queryP50Ms, double queryP99Ms, long queries, Errors errors) {
    }

    /**
     * The pass marks.
     *
     * @param heapGrowth largest allowed relative growth of heap after GC, e.g. 0.10
     * @param p99Factor largest allowed ratio of the last interval's p99 to the first's, e.g. 1.5
     * @param maxBacklog largest allowed backlog at the end, in events
     */
    public record Limits(double heapGrowth, double p99Factor, long maxBacklog) {
    }

    /** One line of the verdict. */
    public record Check(String name, boolean passed, String detail) {
    }

    /** @return the checks, in a fixed order; a run with fewer than two samples fails all of them. */
    public static List<Check> judge(List<Sample> samples, Limits limits) {
        List<Check> checks = new ArrayList<>();
        if (samples.size() < 2) {
            String why = "need at least two intervals, got " + samples.size();
            for (String name : List.of("heap", "errors", "update p99", "query p99", "backlog")) {
                checks.add(new Check(name, false, why));
            }
            return checks;
        }
        Sample first = samples.getFirst();
        Sample last = samples.getLast();
        double growth = last.heapAfterGcMb() / first.heapAfterGcMb() - 1;
        checks.add(new Check("heap", growth <= limits.heapGrowth(), "%.1f -> %.1f MiB (%+.1f %%, limit %+.0f %%)"
                .formatted(first.heapAfterGcMb(), last.heapAfterGcMb(), 100 * growth, 100 * limits.heapGrowth())));
        long errors = samples.stream().mapToLong(s -> s.errors().total()).sum();
        checks.add(new Check("errors", errors == 0, errors == 0 ? "none" : errors + " in all: " + samples.stream()
                .filter(s -> s.errors().total() > 0).map(s -> "#" + s.index() + " " + s.errors()).toList()));
        checks.add(stable("update p99", first.updateP99Ms(), last.updateP99Ms(), limits.p99Factor()));
        checks.add(stable("query p99", first.queryP99Ms(), last.queryP99Ms(), limits.p99Factor()));
        checks.add(new Check("backlog", last.backlog() <= limits.maxBacklog(), "%d events at the end (limit %d)"
                .formatted(last.backlog(), limits.maxBacklog())));
        return checks;
    }

    private static Check stable(String name, double first, double last, double factor) {
        boolean passed = Double.isFinite(first) && Double.isFinite(last) && last <= factor * first;
        return new Check(name, passed, "%.3f -> %.3f ms (limit x%.2f)".formatted(first, last, factor));
    }

    /** @return whether every check passed. */
    public static boolean passed(List<Check> checks) {
        return checks.stream().allMatch(Check::passed);
    }
}
