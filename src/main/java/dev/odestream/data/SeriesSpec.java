package dev.odestream.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The hidden law of one demo series: {@code x_j(t) = amplitude_j exp(-damping t) cos(frequency t + phase_j)}, with
 * events arriving as a Poisson process of mean inter-arrival time {@code meanInterArrival}.
 *
 * @param index position of the series in the workload.
 * @param key the series id (the Kafka record key in the demo).
 * @param meanInterArrival mean time between events.
 * @param frequency angular frequency.
 * @param damping exponential decay rate of the envelope.
 * @param amplitudes per-dimension amplitude.
 * @param phases per-dimension phase, radians.
 */
public record SeriesSpec(int index, String key, double meanInterArrival, double frequency, double damping,
                         double[] amplitudes, double[] phases) {

    /** Copies the arrays and checks their lengths. */
    public SeriesSpec {
        Objects.requireNonNull(key, "key");
        amplitudes = amplitudes.clone();
        phases = phases.clone();
        if (amplitudes.length != phases.length || amplitudes.length == 0) {
            throw new IllegalArgumentException("need one amplitude and one phase per dimension");
        }
    }

    /** @return the value dimension. */
    public int dimension() {
        return amplitudes.length;
    }

    /**
     * The clean values at time {@code t}.
     *
     * @param out receives {@link #dimension()} values. Modified.
     */
    public void value(double t, double[] out) {
        double envelope = Math.exp(-damping * t);
        for (int j = 0; j < amplitudes.length; j++) {
            out[j] = amplitudes[j] * envelope * Math.cos(frequency * t + phases[j]);
        }
    }

    @Override
    public double[] amplitudes() {
        return amplitudes.clone();
    }

    @Override
    public double[] phases() {
        return phases.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesSpec s && index == s.index && key.equals(s.key)
                && Double.compare(meanInterArrival, s.meanInterArrival) == 0
                && Double.compare(frequency, s.frequency) == 0 && Double.compare(damping, s.damping) == 0
                && Arrays.equals(amplitudes, s.amplitudes) && Arrays.equals(phases, s.phases);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, key, meanInterArrival, frequency, damping, Arrays.hashCode(amplitudes),
                Arrays.hashCode(phases));
    }

    @Override
    public String toString() {
        return "SeriesSpec[" + key + ", meanInterArrival=" + meanInterArrival + ", frequency=" + frequency
                + ", damping=" + damping + ", amplitudes=" + Arrays.toString(amplitudes) + "]";
    }
}
