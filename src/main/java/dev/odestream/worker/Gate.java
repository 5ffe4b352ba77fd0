package dev.odestream.worker;

import dev.odestream.train.TrainingBackend;
import java.util.Locale;

/**
 * Decides whether a candidate may replace the model in use, on held-out windows neither was trained on: it must have
 * a lower negative log-likelihood, and an RMSE at most {@code rmseMargin} (relative) above the current model's.
 *
 * @param rmseMargin how much worse the candidate's RMSE may be, e.g. 0.05 for 5 %
 */
public record Gate(double rmseMargin) {

    /**
     * @param accepted whether the candidate passed
     * @param reason the comparison, for the log
     */
    public record Verdict(boolean accepted, String reason) {
    }

    /** Checks the margin. */
    public Gate {
        if (!(rmseMargin >= 0) || Double.isInfinite(rmseMargin)) {
            throw new IllegalArgumentException("rmseMargin must be finite and non-negative, got " + rmseMargin);
        }
    }

    /** @return the verdict on a candidate scored against the current model on the same windows. */
    public Verdict judge(TrainingBackend.HeldOutScore current, TrainingBackend.HeldOutScore candidate) {
        String numbers = String.format(Locale.ROOT, "held-out nll %.5f vs %.5f, rmse %.5f vs %.5f (margin %.0f%%)",
                candidate.nll(), current.nll(), candidate.rmse(), current.rmse(), rmseMargin * 100);
        if (!(candidate.nll() < current.nll()) && !(Double.isNaN(current.nll()) && Double.isFinite(candidate.nll()))) {
            return new Verdict(false, "no better on " + numbers);
        }
        boolean rmseComparable = Double.isFinite(current.rmse());
        if (rmseComparable && !(candidate.rmse() <= current.rmse() * (1 + rmseMargin))) {
            return new Verdict(false, "rmse worse than the margin allows: " + numbers);
        }
        return new Verdict(true, "better on " + numbers);
    }
}
