package dev.odestream.nn;

import java.util.SplittableRandom;

/** Seeded random inputs and the random-projection scalar {@code L = r . out} used by the gradient tests. */
final class TestData {

    private TestData() {
    }

    static double[] uniform(SplittableRandom rng, int n, double limit) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble(-limit, limit);
        }
        return a;
    }

    static void fillUniform(double[] a, SplittableRandom rng, double limit) {
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextDouble(-limit, limit);
        }
    }

    static double dot(double[] a, double[] b, int n) {
        double s = 0.0;
        for (int i = 0; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
