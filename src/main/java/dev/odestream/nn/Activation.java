package dev.odestream.nn;

/**
 * Element-wise activation functions with their derivatives.
 *
 * <p>Each constant's array methods dispatch once, outside the loop, to a plain counted loop the JIT can compile
 * tightly; the per-element {@link #value}/{@link #derivative} are for scalar use and tests. Derivatives take both the
 * pre-activation {@code x} and the output {@code y = f(x)} because for some functions one is cheaper than the other
 * ({@code tanh' = 1 - y^2}, {@code softplus' = sigmoid(x)}).
 */
public enum Activation {
    /** {@code tanh(x)}. */
    TANH,
    /** {@code log(1 + e^x)}, evaluated without overflow for large {@code |x|}. */
    SOFTPLUS,
    /** {@code max(0, x)}; the derivative at 0 is taken as 0. */
    RELU,
    /** {@code x} for {@code x > 0}, else {@code e^x - 1} (alpha = 1, so the derivative is continuous at 0). */
    ELU,
    /** {@code 1 / (1 + e^-x)}, evaluated without overflow for large {@code |x|}. */
    SIGMOID,
    /** {@code x}; for output layers. */
    IDENTITY;

    /** @return {@code f(x)}. */
    public double value(double x) {
        return switch (this) {
            case TANH -> Math.tanh(x);
            case SOFTPLUS -> softplus(x);
            case RELU -> Math.max(x, 0.0);
            case ELU -> x > 0 ? x : Math.expm1(x);
            case SIGMOID -> sigmoid(x);
            case IDENTITY -> x;
        };
    }

    /**
     * @param x pre-activation
     * @param y {@code f(x)}
     * @return {@code f'(x)}
     */
    public double derivative(double x, double y) {
        return switch (this) {
            case TANH -> 1.0 - y * y;
            case SOFTPLUS -> sigmoid(x);
            case RELU -> x > 0 ? 1.0 : 0.0;
            case ELU -> x > 0 ? 1.0 : y + 1.0;
            case SIGMOID -> y * (1.0 - y);
            case IDENTITY -> 1.0;
        };
    }

    /**
     * {@code y[i] = f(x[i])} for {@code i < n}. {@code x} and {@code y} may be the same array.
     *
     * @param x Not modified (unless aliased with y).
     * @param y Modified.
     */
    public void forward(double[] x, double[] y, int n) {
        switch (this) {
            case TANH -> { for (int i = 0; i < n; i++) y[i] = Math.tanh(x[i]); }
            case SOFTPLUS -> { for (int i = 0; i < n; i++) y[i] = softplus(x[i]); }
            case RELU -> { for (int i = 0; i < n; i++) y[i] = Math.max(x[i], 0.0); }
            case ELU -> { for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : Math.expm1(x[i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) y[i] = sigmoid(x[i]); }
            case IDENTITY -> { if (x != y) System.arraycopy(x, 0, y, 0, n); }
        }
    }

    /**
     * Chain rule through the activation: {@code dx[i] = dy[i] * f'(x[i])}. {@code dx} may alias {@code dy}.
     *
     * @param x pre-activations of the forward pass. Not modified.
     * @param y outputs of the forward pass. Not modified.
     * @param dy {@code dL/dy}. Not modified (unless aliased with dx).
     * @param dx receives {@code dL/dx}. Modified.
     */
    public void backward(double[] x, double[] y, double[] dy, double[] dx, int n) {
        switch (this) {
            case TANH -> { for (int i = 0; i < n; i++) dx[i] = dy[i] * (1.0 - y[i] * y[i]); }
            case SOFTPLUS -> { for (int i = 0; i < n; i++) dx[i] = dy[i] * sigmoid(x[i]); }
            case RELU -> { for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0.0; }
            case ELU -> { for (int i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + 1.0); }
            case SIGMOID -> { for (int i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1.0 - y[i]); }
            case IDENTITY -> { if (dx != dy) System.arraycopy(dy, 0, dx, 0, n); }
        }
    }

    /** Numerically stable {@code log(1 + e^x)}: never exponentiates a positive number. */
    static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** Numerically stable logistic function: never exponentiates a positive number. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }
}
