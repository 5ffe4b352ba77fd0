package dev.odestream.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws minibatches by epochs: a seeded shuffle of the training set, cut into consecutive batches; the tail that
 * does not fill a batch waits for the next epoch's shuffle. {@link Random} because its algorithm is specified, so a
 * seed gives the same batches on every JDK.
 */
final class MinibatchSampler<W> {

    private final List<W> items;
    private final int[] order;
    private final int batchSize;
    private final Random rng;
    private int position;

    MinibatchSampler(List<W> items, int batchSize, long seed) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("empty training set");
        }
        this.items = List.copyOf(items);
        this.order = new int[items.size()];
        this.batchSize = Math.min(batchSize, items.size());
        this.rng = new Random(seed);
        this.position = order.length;
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
    }

    /** @return the next minibatch, a new list. */
    List<W> next() {
        if (position + batchSize > order.length) {
            shuffle();
            position = 0;
        }
        List<W> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(items.get(order[position + i]));
        }
        position += batchSize;
        return batch;
    }

    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
