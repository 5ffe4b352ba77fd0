package dev.odestream.worker;

/**
 * The live error of the model in use, smoothed, and whether it has drifted. Each scored event moves an exponentially
 * weighted mean of the squared forecast error (per value) and of the event negative log-likelihood; the live RMSE is
 * the root of the first.
 *
 * <p>Drift is judged against a reference: the error the model had when it was promoted (its live-style error on
 * held-out data), or, for a model without one, the mean error over its first {@code warmupEvents} scored events.
 * The live error has drifted when, after at least {@code warmupEvents} scored events under this model, the RMSE
 * exceeds {@code (1 + threshold)} times the reference, or the NLL exceeds the reference by {@code threshold} times
 * its magnitude (an NLL may be negative).
 *
 * <p>Not thread-safe.
 */
public final class LiveError {

    /**
     * A model's reference error.
     *
     * @param rmse forecast RMSE
     * @param nll mean event negative log-likelihood
     */
    public record Reference(double rmse, double nll) {
    }

    private final double weight;
    private final double threshold;
    private final int warmup;
    private Reference reference;
    private double squared = Double.NaN;
    private double nll = Double.NaN;
    private long scored;
    private double warmupSquared;
    private long warmupValues;
    private double warmupNll;

    /** @param settings EWMA weight, drift threshold and warm-up length */
    public LiveError(WorkerConfig.TriggerSettings settings) {
        this.weight = settings.ewmaWeight();
        this.threshold = settings.driftThreshold();
        this.warmup = settings.warmupEvents();
    }

    /**
     * Starts over for a new model.
     *
     * @param promoted the model's reference error, or {@code null} to measure one over the warm-up
     */
    public void reset(Reference promoted) {
        reference = promoted;
        squared = Double.NaN;
        nll = Double.NaN;
        scored = 0;
        warmupSquared = 0;
        warmupValues = 0;
        warmupNll = 0;
    }

    /** Takes one scored event in. */
    public void record(LiveScore s) {
        if (!Double.isFinite(s.nll()) || !Double.isFinite(s.squaredError())) {
            return;
        }
        scored++;
        if (s.values() > 0) {
            squared = smooth(squared, s.squaredError() / s.values());
        }
        nll = smooth(nll, s.nll());
        if (reference == null) {
            warmupSquared += s.squaredError();
            warmupValues += s.values();
            warmupNll += s.nll();
            if (scored == warmup) {
                reference = new Reference(Math.sqrt(warmupSquared / Math.max(1, warmupValues)), warmupNll / warmup);
            }
        }
    }

    private double smooth(double old, double x) {
        return Double.isNaN(old) ? x : old + weight * (x - old);
    }

    /** @return the smoothed live RMSE; NaN before the first scored value. */
    public double rmse() {
        return Math.sqrt(squared);
    }

    /** @return the smoothed live event NLL; NaN before the first scored event. */
    public double nll() {
        return nll;
    }

    /** @return events scored since the last {@link #reset}. */
    public long scored() {
        return scored;
    }

    /** @return the reference, or {@code null} while the warm-up runs. */
    public Reference reference() {
        return reference;
    }

    /** @return whether the live error has degraded past the threshold; see the class comment. */
    public boolean drifted() {
        if (reference == null || scored < warmup) {
            return false;
        }
        boolean rmseUp = rmse() > (1 + threshold) * reference.rmse();
        boolean nllUp = nll > reference.nll() + threshold * Math.abs(reference.nll());
        return rmseUp || nllUp;
    }
}
