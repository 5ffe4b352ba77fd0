package dev.odestream.worker;

import dev.odestream.train.TrainingBackend;
import java.util.Locale;

/**
 * Decides whether a candidate may replace the model in use, on held-out data neither was trained on. In order, it
 * refuses a candidate
 * <ol>
 *   <li>whose training loss or held-out scores are not finite ({@link Refusal#NON_FINITE});</li>
 *   <li>whose training loss exploded: it ended more than {@link #EXPLODING_FACTOR} times
 *       {@code max(1, |start|)} above {@code start}, the held-out window NLL of the model training started from, which
 *       is where a warm start's loss begins ({@link Refusal#EXPLODING});</li>
 *   <li>that is not better than the model in use on the held-out windows: a lower negative log-likelihood, and an RMSE
 *       at most {@code rmseMargin} (relative) above its ({@link Refusal#PARENT});</li>
 *   <li>that is not better than the baseline (EWMA values, a Poisson rate) in the same terms, both scored one step
 *       ahead on the held-out events, since the baseline is the floor ({@link Refusal#BASELINE}).</li>
 * </ol>
 * Each refusal names the numbers it compared.
 *
 * @param rmseMargin how much worse the candidate's RMSE may be, e.g. 0.05 for 5 %
 */
public record Gate(double rmseMargin) {

    /** How far above its starting loss, in units of {@code max(1, |start|)}, a training loss may end. */
    public static final double EXPLODING_FACTOR = 10.0;

    /** Why a candidate was refused; {@link #tag} is the {@code reason} tag of the rejections counter. */
    public enum Refusal {
        /** The training loss or a held-out score is NaN or infinite. */
        NON_FINITE,
        /** The training loss ended far above where it started. */
        EXPLODING,
        /** Not better than the model in use. */
        PARENT,
        /** Not better than the baseline. */
        BASELINE;

        /** @return the metric tag, e.g. {@code non_finite} */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param accepted whether the candidate passed
     * @param refusal why not, {@code null} when accepted
     * @param reason the comparison, for the log
     */
    public record Verdict(boolean accepted, Refusal refusal, String reason) {

        static Verdict accept(String reason) {
            return new Verdict(true, null, reason);
        }

        static Verdict refuse(Refusal refusal, String reason) {
            return new Verdict(false, refusal, reason);
        }
    }

    /**
     * What the gate weighs.
     *
     * @param trainingLoss the round's training loss ({@link TrainingBackend.RoundStats#loss})
     * @param start the held-out window NLL of the model training started from
     * @param parent the model in use on the held-out windows, or {@code null} when there is none (a first model)
     * @param candidate the candidate on the same windows, or {@code null} when there is no parent to compare with
     * @param baseline the baseline, one step ahead on the held-out events; NaN scores when it scored no event
     * @param candidateStep the candidate in the same terms; NaN scores when it failed on every event
     */
    public record Evidence(double trainingLoss, double start, TrainingBackend.HeldOutScore parent,
                           TrainingBackend.HeldOutScore candidate, TrainingBackend.HeldOutScore baseline,
                           TrainingBackend.HeldOutScore candidateStep) {
    }

    /** Checks the margin. */
    public Gate {
        if (!(rmseMargin >= 0) || Double.isInfinite(rmseMargin)) {
            throw new IllegalArgumentException("rmseMargin must be finite and non-negative, got " + rmseMargin);
        }
    }

    /** @return the verdict on the evidence, by the rules in the class comment, the first failed one named. */
    public Verdict judge(Evidence e) {
        Verdict training = training(e);
        if (training != null) {
            return training;
        }
        String vsParent = "";
        if (e.parent() != null) {
            Verdict v = judge(e.parent(), e.candidate());
            if (!v.accepted()) {
                return v;
            }
            vsParent = v.reason() + "; ";
        }
        if (Double.isNaN(e.baseline().nll())) {
            return Verdict.accept(vsParent + "the baseline scored no held-out event");
        }
        Verdict floor = judge(e.baseline(), e.candidateStep());
        String numbers = "one-step " + numbers(e.baseline(), e.candidateStep());
        return floor.accepted() ? Verdict.accept(vsParent + "better than the baseline on " + numbers)
                : Verdict.refuse(Refusal.BASELINE, vsParent + "no better than the baseline: " + numbers);
    }

    private static Verdict training(Evidence e) {
        double loss = e.trainingLoss();
        if (!Double.isFinite(loss)) {
            return Verdict.refuse(Refusal.NON_FINITE, "training loss " + loss);
        }
        if (e.candidate() != null && !Double.isFinite(e.candidate().nll())) {
            return Verdict.refuse(Refusal.NON_FINITE, "held-out nll " + e.candidate().nll());
        }
        if (!Double.isNaN(e.baseline().nll()) && !Double.isFinite(e.candidateStep().nll())) {
            return Verdict.refuse(Refusal.NON_FINITE, "one-step held-out nll " + e.candidateStep().nll());
        }
        double start = e.start();
        if (Double.isFinite(start) && loss > start + EXPLODING_FACTOR * Math.max(1, Math.abs(start))) {
            return Verdict.refuse(Refusal.EXPLODING, String.format(Locale.ROOT,
                    "exploding: training loss %.5g ended above %.5g, %.0f x max(1, |%.5g|) over the held-out nll"
                            + " it started from", loss, start + EXPLODING_FACTOR * Math.max(1, Math.abs(start)),
                    EXPLODING_FACTOR, start));
        }
        return null;
    }

    /** @return the verdict on a candidate scored against the current model on the same windows. */
    public Verdict judge(TrainingBackend.HeldOutScore current, TrainingBackend.HeldOutScore candidate) {
        String numbers = numbers(current, candidate);
        if (!(candidate.nll() < current.nll()) && !(Double.isNaN(current.nll()) && Double.isFinite(candidate.nll()))) {
            return Verdict.refuse(Refusal.PARENT, "no better on " + numbers);
        }
        boolean rmseComparable = Double.isFinite(current.rmse());
        if (rmseComparable && !(candidate.rmse() <= current.rmse() * (1 + rmseMargin))) {
            return Verdict.refuse(Refusal.PARENT, "rmse worse than the margin allows: " + numbers);
        }
        return Verdict.accept("better on " + numbers);
    }

    private String numbers(TrainingBackend.HeldOutScore current, TrainingBackend.HeldOutScore candidate) {
        return String.format(Locale.ROOT, "held-out nll %.5f vs %.5f, rmse %.5f vs %.5f (margin %.0f%%)",
                candidate.nll(), current.nll(), candidate.rmse(), current.rmse(), rmseMargin * 100);
    }
}
