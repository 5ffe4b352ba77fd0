package dev.odestream.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class MinibatchSamplerTest {

    private static final List<Integer> ITEMS = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

    private static List<Integer> draw(MinibatchSampler<Integer> sampler, int batches) {
        List<Integer> drawn = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            drawn.addAll(sampler.next());
        }
        return drawn;
    }

    @Test
    void shouldVisitEveryItemOncePerEpoch() {
        List<Integer> drawn = draw(new MinibatchSampler<>(ITEMS, 4, 1), 6);
        assertEquals(Set.copyOf(ITEMS), new HashSet<>(drawn.subList(0, 12)));
        assertEquals(Set.copyOf(ITEMS), new HashSet<>(drawn.subList(12, 24)));
        assertNotEquals(drawn.subList(0, 12), drawn.subList(12, 24), "each epoch is reshuffled");
    }

    @Test
    void shouldRepeatForASeedAndDifferForAnother() {
        assertEquals(draw(new MinibatchSampler<>(ITEMS, 5, 9), 7), draw(new MinibatchSampler<>(ITEMS, 5, 9), 7));
        assertNotEquals(draw(new MinibatchSampler<>(ITEMS, 5, 9), 7), draw(new MinibatchSampler<>(ITEMS, 5, 8), 7));
    }

    @Test
    void shouldLeaveTheTailForTheNextEpochAndUseASmallSetWhole() {
        MinibatchSampler<Integer> sampler = new MinibatchSampler<>(ITEMS, 5, 3);
        List<Integer> first = draw(sampler, 2);
        assertEquals(10, new HashSet<>(first).size());
        assertEquals(12, new MinibatchSampler<>(ITEMS, 50, 3).next().size());
    }
}
