package dev.odestream.ode.adjoint;

import dev.odestream.ode.ParametricOdeSystem;

import java.util.Random;

/** Small parametric systems with hand-written vector-Jacobian products, for the gradient tests. */
final class TestSystems {

    private TestSystems() {
    }

    /**
     * {@code y' = A y + sin(t) w} with {@code theta = [A (row-major), w]}; with {@code w = 0} it is the autonomous
     * linear system, and the forcing makes it non-autonomous.
     */
    static final class Linear implements ParametricOdeSystem {
        final int n;
        final double[] theta;

        Linear(double[] a, double[] w) {
            this.n = w.length;
            this.theta = new double[n * n + n];
            System.arraycopy(a, 0, theta, 0, n * n);
            System.arraycopy(w, 0, theta, n * n, n);
        }

        /** A random stable-ish matrix: {@code -I/2} plus entries of size {@code scale}. */
        static Linear random(int n, double scale, boolean forced, long seed) {
            Random rnd = new Random(seed);
            double[] a = new double[n * n];
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] = scale * rnd.nextGaussian() - (i == j ? 0.5 : 0.0);
                }
                w[i] = forced ? rnd.nextGaussian() : 0.0;
            }
            return new Linear(a, w);
        }

        @Override
        public int dimension() {
            return n;
        }

        @Override
        public int parameterCount() {
            return theta.length;
        }

        @Override
        public void derivatives(double t, double[] y, double[] yDot) {
            double s = Math.sin(t);
            for (int i = 0; i < n; i++) {
                double sum = s * theta[n * n + i];
                for (int j = 0; j < n; j++) {
                    sum += theta[i * n + j] * y[j];
                }
                yDot[i] = sum;
            }
        }

        @Override
        public double vjp(double t, double[] y, double[] a, double[] aDfDy, double[] aDfDTheta) {
            double s = Math.sin(t);
            double aDfDt = 0.0;
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int i = 0; i < n; i++) {
                    sum += a[i] * theta[i * n + j];
                    aDfDTheta[i * n + j] = a[i] * y[j];
                }
                aDfDy[j] = sum;
                aDfDTheta[n * n + j] = a[j] * s;
                aDfDt += a[j] * Math.cos(t) * theta[n * n + j];
            }
            return aDfDt;
        }
    }

    /**
     * The cubic spiral {@code dy/dt = (y^3) A} (row vector times matrix, cube elementwise) with
     * {@code theta = A} row-major, as in the neural-ODE demonstrations; {@link #demo()} is
     * {@code A = [[-0.1, 2], [-2, -0.1]]}.
     */
    static final class CubicSpiral implements ParametricOdeSystem {
        final double[] theta;
        final int n;

        CubicSpiral(int n, double[] a) {
            this.n = n;
            this.theta = a.clone();
        }

        static CubicSpiral demo() {
            return new CubicSpiral(2, new double[] {-0.1, 2.0, -2.0, -0.1});
        }

        @Override
        public int dimension() {
            return n;
        }

        @Override
        public int parameterCount() {
            return n * n;
        }

        @Override
        public void derivatives(double t, double[] y, double[] yDot) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int i = 0; i < n; i++) {
                    sum += y[i] * y[i] * y[i] * theta[i * n + j];
                }
                yDot[j] = sum;
            }
        }

        @Override
        public double vjp(double t, double[] y, double[] a, double[] aDfDy, double[] aDfDTheta) {
            for (int i = 0; i < n; i++) {
                double rowDotA = 0.0;
                double cube = y[i] * y[i] * y[i];
                for (int k = 0; k < n; k++) {
                    rowDotA += theta[i * n + k] * a[k];
                    aDfDTheta[i * n + k] = cube * a[k];
                }
                aDfDy[i] = 3.0 * y[i] * y[i] * rowDotA;
            }
            return 0.0;
        }
    }

    /** Seeded standard normal vector. */
    static double[] gaussian(int n, Random rnd) {
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = rnd.nextGaussian();
        }
        return v;
    }

    /** @return {@code max|x - y| / max|y|}, the normwise relative error of {@code x} against reference {@code y}. */
    static double relativeError(double[] x, double[] y) {
        double diff = 0.0;
        double scale = 0.0;
        for (int k = 0; k < y.length; k++) {
            diff = Math.max(diff, Math.abs(x[k] - y[k]));
            scale = Math.max(scale, Math.abs(y[k]));
        }
        return diff / Math.max(scale, Double.MIN_NORMAL);
    }
}
