package dev.odestream.dataset;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link EventFile} read: the data set and, under {@link OnBadRow#SKIP}, the rows it left out.
 *
 * @param dataset the events read, grouped into series
 * @param rows the rows read, kept or skipped (the header and blank lines are not rows)
 * @param skippedByReason how many rows were skipped for each reason; empty under {@link OnBadRow#FAIL}
 * @param firstSkipped the first few skipped rows, at most {@link #KEPT}, to show the user
 */
public record ReadResult(Dataset dataset, int rows, Map<BadRowException.Reason, Integer> skippedByReason,
        List<BadRowException> firstSkipped) {

    /** How many skipped rows are kept as examples. */
    public static final int KEPT = 10;

    /** Copies the map and list. */
    public ReadResult {
        skippedByReason = skippedByReason.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(skippedByReason));
        firstSkipped = List.copyOf(firstSkipped);
    }

    /** @return how many rows were skipped. */
    public int skippedRows() {
        return skippedByReason.values().stream().mapToInt(Integer::intValue).sum();
    }
}
