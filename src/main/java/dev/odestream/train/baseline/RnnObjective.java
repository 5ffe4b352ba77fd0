package dev.odestream.train.baseline;

/**
 * What {@link GruRnnBaseline} is trained to predict. Both losses are the mean squared error of the predicted
 * coordinates (a Gaussian negative log-likelihood with a fixed variance, up to scale and a constant).
 */
public enum RnnObjective {

    /**
     * Teacher forcing inside the observed window: every observation but the last is fed in, and each step predicts
     * the next observation. The model sees only the observed points, the same data as a latent ODE fitted to the
     * window. It never learns from its own predictions, so a 100-step rollout drifts: on the spirals it fits the
     * next step to about the noise level yet extrapolates far worse than the paper's RNN.
     */
    NEXT_STEP,

    /**
     * The test task itself on the training spirals: feed every observation, then roll out on the model's own
     * predictions to the extrapolation times, with the loss on those predictions and backprop through the feedback.
     * This uses the training spirals' future points. So does this project's latent ODE, whose loss is the likelihood
     * of the targets after the split time of a window; this objective is therefore the like-for-like comparison for
     * it, and the experiment's default. It makes a much stronger baseline than the paper's RNN column.
     */
    EXTRAPOLATION
}
