package dev.odestream.dataset;

import dev.odestream.dataset.BadRowException.Reason;
import dev.odestream.stream.Event;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.odestream.dataset.Rows.assertBad;
import static dev.odestream.dataset.Rows.csv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvReaderTest {

    private static final CsvLayout XY = CsvLayout.of("id", "t", "x", "y");
    private static final String HEADER = "id,t,x,y";

    @Test
    void shouldReadTheLayoutsColumnsInItsOrderAndIgnoreTheRest() throws IOException {
        Dataset data = csv(CsvLayout.of("id", "t", "y", "x"), OnBadRow.FAIL,
                "note,y,t,x,id", "\"hello, world\",2.5,20,-1e-3,a", " skip ,  4 , 10 ,3,\"a\"").dataset();
        assertEquals(List.of(Event.of(10, 4, 3), Event.of(20, 2.5, -1e-3)), data.series("a"));
        assertEquals(List.of("y", "x"), data.valueNames());
    }

    @Test
    void shouldMaskEmptyCellsAndRejectRowsWithNothingUnlessAskedForPointEvents() throws IOException {
        Dataset data = csv(XY, OnBadRow.FAIL, HEADER, "a,1,,7", "a,2,\"\",7").dataset();
        Event masked = new Event(1, new double[] {0, 7}, new boolean[] {false, true}, 0);
        assertEquals(List.of(masked, masked.withTime(2)), data.series("a"));
        assertBad(3, Reason.NO_VALUES, "withAllMissingAsPoint",
                () -> csv(XY, OnBadRow.FAIL, HEADER, "a,1,1,2", "a,2,,"));
        assertEquals(List.of(Event.point(2, 0)),
                csv(XY.withAllMissingAsPoint(), OnBadRow.FAIL, HEADER, "a,2, , ").dataset().series("a"));
    }

    @Test
    void shouldReadEveryRowAsAPointEventWithoutValueColumns() throws IOException {
        Dataset data = csv(CsvLayout.of("id", "t"), OnBadRow.FAIL, "id,t", "coal,1851-03-15T00:00:00Z",
                "coal,-3735417600000").dataset();
        assertEquals(List.of(Event.point(Instant.parse("1851-03-15T00:00:00Z").toEpochMilli(), 0),
                Event.point(-3_735_417_600_000L, 0)), data.series("coal"));
        assertEquals(0, data.dimension());
    }

    @Test
    void shouldCountTimesInTheStatedUnitFromTheStatedOrigin() throws IOException {
        Instant origin = Instant.parse("2000-01-01T00:00:00Z");
        CsvLayout days = XY.withTime(TimeFormat.since(origin, Duration.ofDays(1)));
        Dataset data = csv(days, OnBadRow.FAIL, HEADER, "a,1.5,1,1", "a,-1,1,1", "a,2000-01-01T00:00:00.0009Z,1,1")
                .dataset();
        long t0 = origin.toEpochMilli();
        assertEquals(List.of(t0 - 86_400_000L, t0, t0 + 129_600_000L),
                data.series("a").stream().map(Event::timeMs).toList());
        assertEquals(-1, TimeFormat.since(Instant.EPOCH, Duration.ofNanos(1)).toEpochMillis("-1"));
    }

    @Test
    void shouldNameTheLineAndReasonOfEachKindOfBadRow() {
        assertBad(3, Reason.COLUMN_COUNT, "5 cells, the header has 4",
                () -> csv(XY, OnBadRow.FAIL, HEADER, "a,1,1,1", "a,2,1,1,1"));
        assertBad(2, Reason.COLUMN_COUNT, "3 cells", () -> csv(XY, OnBadRow.FAIL, HEADER, "a,2,1"));
        assertBad(2, Reason.NOT_A_NUMBER, "column 'y': 'NA' is not a number (an empty cell marks a missing value)",
                () -> csv(XY, OnBadRow.FAIL, HEADER, "a,1,1,NA"));
        assertBad(2, Reason.NOT_A_NUMBER, "'0x10'", () -> csv(XY, OnBadRow.FAIL, HEADER, "a,1,0x10,1"));
        assertBad(2, Reason.NON_FINITE, "column 'x': NaN", () -> csv(XY, OnBadRow.FAIL, HEADER, "a,1,NaN,1"));
        assertBad(2, Reason.NON_FINITE, "-Infinity", () -> csv(XY, OnBadRow.FAIL, HEADER, "a,1,1,-Infinity"));
        assertBad(2, Reason.NON_FINITE, "1e999 is too large", () -> csv(XY, OnBadRow.FAIL, HEADER, "a,1,1e999,1"));
        assertBad(2, Reason.BAD_KEY, "column 'id' is empty", () -> csv(XY, OnBadRow.FAIL, HEADER, " ,1,1,1"));
        assertBad(2, Reason.BAD_TIME, "column 't' is empty", () -> csv(XY, OnBadRow.FAIL, HEADER, "a,,1,1"));
        assertBad(2, Reason.BAD_TIME, "'2025-01-01' is neither a number nor an ISO-8601 date-time",
                () -> csv(XY, OnBadRow.FAIL, HEADER, "a,2025-01-01,1,1"));
        assertBad(2, Reason.BAD_TIME, "out of range", () -> csv(XY, OnBadRow.FAIL, HEADER, "a,1e30,1,1"));
        assertBad(2, Reason.BAD_TIME, "too large an exponent", () -> csv(XY, OnBadRow.FAIL, HEADER, "a,1e-999999,1,1"));
    }

    @Test
    void shouldRejectBrokenQuoting() {
        assertBad(2, Reason.MALFORMED_CSV, "unterminated quote from character 3",
                () -> csv(XY, OnBadRow.FAIL, HEADER, "a,\"1,1,1"));
        assertBad(2, Reason.MALFORMED_CSV, "text after the closing quote",
                () -> csv(XY, OnBadRow.FAIL, HEADER, "\"a\"b,1,1,1"));
        assertBad(2, Reason.MALFORMED_CSV, "a quote inside an unquoted cell",
                () -> csv(XY, OnBadRow.FAIL, HEADER, "a\"b,1,1,1"));
    }

    @Test
    void shouldReadQuotedQuotesAndStripAByteOrderMark() throws IOException {
        Dataset data = csv(XY, OnBadRow.FAIL, "\uFEFF" + HEADER, "\"say \"\"hi\"\"\" , 1,1,1").dataset();
        assertEquals(List.of("say \"hi\""), data.keys());
    }

    @Test
    void shouldStopAtABadHeaderWhateverThePolicy() {
        assertBad(2, Reason.BAD_HEADER, "no column [t, y] in header [id, x]",
                () -> csv(XY, OnBadRow.SKIP, "", "id,x", "a,1"));
        assertBad(1, Reason.BAD_HEADER, "column 'x' appears twice", () -> csv(XY, OnBadRow.SKIP, "id,t,x,x,y"));
        assertThrows(IOException.class, () -> csv(XY, OnBadRow.FAIL, "", " "));
    }

    @Test
    void shouldSkipAndCountBadRowsWhenAskedTo() throws IOException {
        ReadResult read = csv(XY, OnBadRow.SKIP, HEADER, "a,1,1,1", "a,x,1,1", "", "a,3,1", "b,4,NA,1", "b,5,2,2");
        assertEquals(5, read.rows());
        assertEquals(Map.of(Reason.BAD_TIME, 1, Reason.COLUMN_COUNT, 1, Reason.NOT_A_NUMBER, 1),
                read.skippedByReason());
        assertEquals(List.of(3, 5, 6), read.firstSkipped().stream().map(BadRowException::line).toList());
        assertEquals(2, read.dataset().eventCount());
    }

    @Test
    void shouldRefuseALayoutThatGivesAColumnTwoParts() {
        assertThrows(IllegalArgumentException.class, () -> CsvLayout.of("id", "t", "x", "id"));
        assertThrows(IllegalArgumentException.class, () -> CsvLayout.of("id", " ", "x"));
    }
}
