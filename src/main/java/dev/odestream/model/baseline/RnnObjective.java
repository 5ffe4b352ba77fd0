package dev.odestream.model.baseline;

/**
 * What {@link GruRnnBaseline} is trained to predict. Both losses are the mean squared error of the predicted
 * coordinates (a Gaussian negative log-likelihood with a fixed variance, up to scale and a constant).
 */
public enum RnnObjective {

    /**
     * Teacher forcing inside the observed window: every observation but the last is fed in, and each step predicts
     * the next observation. The model sees only the observed points, the same information as a latent ODE fitted to
     * the window, which makes this the like-for-like baseline of Chen et al. 2018, Table 2.
     */
    NEXT_STEP,

    /**
     * The test task itself on the training spirals: feed every observation, then roll out on the model's own
     * predictions to the extrapolation times, with the loss on those predictions and backprop through the feedback.
     * This uses the training spirals' future points, which a model fitted to the window never sees, so it gives a
     * stronger baseline than the paper's.
     */
    EXTRAPOLATION
}
