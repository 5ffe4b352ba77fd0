package dev.odestream.worker;

/**
 * The live error of the model in use, smoothed, and whether it has drifted. Each scored event moves an exponentially
 * weighted mean of the squared forecast error (per value) and of the event negative log-likelihood; the live RMSE is
 * the root of the first.
 *
 * <p>Drift is judged against a reference. Every model's live error is measured over its first {@code warmupEvents}
 * scored events; for a model promoted with a reference (its live-style error on held-out windows at promotion) the
 * reference is the worse of the two, metric by metric, and otherwise the warm-up alone. Held-out windows are short
 * stretches scored after a fixed context from a fresh encoder state, while live events come from long-running
 * series with every gap, so the live error of a good model can sit above its held-out error; a reference from
 * held-out data alone would call that drift at once and retrain for nothing. The live error has drifted when,
 * after the warm-up, the RMSE exceeds {@code (1 + threshold)} times the reference, or the NLL exceeds the reference
 * by {@code threshold} times its magnitude (an NLL may be negative).
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
    private Reference promoted;
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
     * @param atPromotion the model's held-out reference error, or {@code null} to use the warm-up alone
     */
    public void reset(Reference atPromotion) {
        promoted = atPromotion;
        reference = atPromotion;
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
        if (scored <= warmup) {
            warmupSquared += s.squaredError();
            warmupValues += s.values();
            warmupNll += s.nll();
            if (scored == warmup) {
                Reference measured = new Reference(Math.sqrt(warmupSquared / Math.max(1, warmupValues)),
                        warmupNll / warmup);
                reference = promoted == null ? measured : new Reference(Math.max(promoted.rmse(), measured.rmse()),
                        Math.max(promoted.nll(), measured.nll()));
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

    /**
     * @return the reference: the promoted one while the warm-up runs (or {@code null} without one), then the worse
     *     of it and the warm-up's
     */
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
