package dev.odestream.nn;

/**
 * Element-wise activation functions with their derivatives.
 *
 * <p>Each constant's array methods dispatch once, outside the loop, to a plain counted loop the JIT can compile
 * tightly; the per-element {@link #value}/{@link #derivative} are for scalar use and tests. Derivatives take both the
 * pre-activation {@code x} and the output {@code y = f(x)} because for some functions one is cheaper than the other
 * ({@code tanh' = 1 - y^2}, {@code softplus' = sigmoid(x)}).
 *
 * <p><b>Tanh without {@code Math.tanh}.</b> The hidden layers of every MLP spend most of their time in tanh, and
 * {@code Math.tanh} (or anything built on {@code Math.exp}) is a call per element that the JIT cannot vectorise. Here
 * {@code tanh |x| = -m / (2 + m)} with {@code m = expm1(-2|x|)}, and {@code m} comes from plain arithmetic: a Taylor
 * polynomial of {@code expm1} at {@code -2|x| / 128}, then seven doublings {@code expm1(2u) = expm1(u) (expm1(u) + 2)}.
 * A doubling does not amplify relative error (for {@code expm1 in (-1, 0]} its error factor is at most 1), and no step
 * subtracts nearly equal numbers, so the result stays within a few ulps of tanh for every {@code x}, including near 0
 * where {@code (1 - e)/(1 + e)} would lose digits. The array form runs three short passes that the JIT vectorises; it
 * performs the same operations as the scalar {@link #value}, so the two agree to the bit.
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
            case TANH -> tanh(x);
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
            case TANH -> tanh(x, y, n);
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

    /** @return {@code tanh(x)}, within a few ulps (see the class comment). */
    static double tanh(double x) {
        return tanhFinish(x, tanhDoublings(tanhSeed(x)));
    }

    /** Array tanh in three passes, each small enough for the JIT to unroll and vectorise. */
    private static void tanh(double[] x, double[] y, int n) {
        if (x == y) {
            for (int i = 0; i < n; i++) y[i] = tanh(x[i]);
            return;
        }
        for (int i = 0; i < n; i++) y[i] = tanhSeed(x[i]);
        for (int i = 0; i < n; i++) y[i] = tanhDoublings(y[i]);
        for (int i = 0; i < n; i++) y[i] = tanhFinish(x[i], y[i]);
    }

    /**
     * {@code 128 expm1(u)} for {@code u = -min(2|x|, 40) / 128} in {@code [-0.3125, 0]}, as {@code 128 u} times the
     * Taylor polynomial of {@code expm1(u) / u} through {@code u^12 / 13!} (remainder below {@code 1e-17} relative).
     * Past {@code |x| = 20} tanh is 1 to double precision, so the clamp changes nothing. Factoring out {@code 128 u =
     * -2|x|} rather than {@code u} keeps subnormal {@code x} exact.
     */
    private static double tanhSeed(double x) {
        double a = Math.min(Math.abs(x), 20.0);
        double u = a * -0x1p-6;
        double p = Math.fma(u, 1.0 / 6227020800.0, 1.0 / 479001600.0);
        p = Math.fma(u, p, 1.0 / 39916800.0);
        p = Math.fma(u, p, 1.0 / 3628800.0);
        p = Math.fma(u, p, 1.0 / 362880.0);
        p = Math.fma(u, p, 1.0 / 40320.0);
        p = Math.fma(u, p, 1.0 / 5040.0);
        p = Math.fma(u, p, 1.0 / 720.0);
        p = Math.fma(u, p, 1.0 / 120.0);
        p = Math.fma(u, p, 1.0 / 24.0);
        p = Math.fma(u, p, 1.0 / 6.0);
        p = Math.fma(u, p, 0.5);
        p = Math.fma(u, p, 1.0);
        return -2.0 * a * p;
    }

    /**
     * From {@code 128 expm1(u)} to {@code expm1(128 u) = expm1(-2|x|)}: seven doublings {@code m -> m (m + 2)}, on
     * {@code w_j = 2^(7-j) m_j}, where each becomes {@code w -> w + w^2 2^(j-8)} (powers of two scale exactly).
     */
    private static double tanhDoublings(double w) {
        w = Math.fma(w, w * 0x1p-8, w);
        w = Math.fma(w, w * 0x1p-7, w);
        w = Math.fma(w, w * 0x1p-6, w);
        w = Math.fma(w, w * 0x1p-5, w);
        w = Math.fma(w, w * 0x1p-4, w);
        w = Math.fma(w, w * 0x1p-3, w);
        return Math.fma(w, w * 0x1p-2, w);
    }

    /** {@code sign(x) (1 - e) / (1 + e)} with {@code e = 1 + m}; {@code 0.0 - m} keeps {@code tanh(+-0) = +-0}. */
    private static double tanhFinish(double x, double m) {
        return (0.0 - m) / (2.0 + m) * Math.signum(x);
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
