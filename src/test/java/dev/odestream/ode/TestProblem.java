package dev.odestream.ode;

import java.util.List;

/**
 * An initial value problem with a closed-form solution: the contract every solver test runs against. The initial
 * state is {@code computeExact(t0)}, so a problem can be integrated from either end of its interval.
 */
abstract class TestProblem implements OdeSystem {

    private final String name;
    private final int dimension;
    private final double t0;
    private final double t1;

    TestProblem(String name, int dimension, double t0, double t1) {
        this.name = name;
        this.dimension = dimension;
        this.t0 = t0;
        this.t1 = t1;
    }

    /**
     * @param t time
     * @param out receives the exact solution at {@code t}. Modified.
     */
    abstract void computeExact(double t, double[] out);

    @Override
    public int dimension() {
        return dimension;
    }

    double t0() {
        return t0;
    }

    double t1() {
        return t1;
    }

    double[] exact(double t) {
        double[] out = new double[dimension];
        computeExact(t, out);
        return out;
    }

    @Override
    public String toString() {
        return name;
    }

    /** @return every problem of the contract, fresh instances. */
    static List<TestProblem> all() {
        return List.of(new ExponentialDecay(), new RotationDecay(), new SineForced(), new Kepler());
    }

    /** y' = -lambda y, a batch of three rates in one vector. */
    static final class ExponentialDecay extends TestProblem {
        private static final double[] RATES = {0.5, 1.0, 2.0};

        ExponentialDecay() {
            super("exponential decay", 3, 0, 2);
        }

        @Override
        public void derivatives(double t, double[] y, double[] yDot) {
            for (int i = 0; i < RATES.length; i++) {
                yDot[i] = -RATES[i] * y[i];
            }
        }

        @Override
        void computeExact(double t, double[] out) {
            for (int i = 0; i < RATES.length; i++) {
                out[i] = (i + 1) * Math.exp(-RATES[i] * t);
            }
        }
    }

    /**
     * y' = A y with A block diagonal, blocks [[-a, -w], [w, -a]]: exp(A t) is a rotation by w t scaled by e^(-a t),
     * the eigenvalues -a +- i w being known in closed form.
     */
    static final class RotationDecay extends TestProblem {
        private static final double[] DECAY = {0.1, 0.4};
        private static final double[] FREQUENCY = {1.0, 3.0};
        private static final double[] START = {1.0, 0.5, -0.3, 2.0};

        RotationDecay() {
            super("linear rotation-decay", 4, 0, 3);
        }

        @Override
        public void derivatives(double t, double[] y, double[] yDot) {
            for (int b = 0; b < 2; b++) {
                double u = y[2 * b];
                double v = y[2 * b + 1];
                yDot[2 * b] = -DECAY[b] * u - FREQUENCY[b] * v;
                yDot[2 * b + 1] = FREQUENCY[b] * u - DECAY[b] * v;
            }
        }

        @Override
        void computeExact(double t, double[] out) {
            for (int b = 0; b < 2; b++) {
                double scale = Math.exp(-DECAY[b] * t);
                double cos = Math.cos(FREQUENCY[b] * t);
                double sin = Math.sin(FREQUENCY[b] * t);
                double u = START[2 * b];
                double v = START[2 * b + 1];
                out[2 * b] = scale * (cos * u - sin * v);
                out[2 * b + 1] = scale * (sin * u + cos * v);
            }
        }
    }

    /** y' = -y + sin t, y(0) = 1: y = (3/2) e^(-t) + (sin t - cos t) / 2. */
    static final class SineForced extends TestProblem {
        SineForced() {
            super("sine-forced", 1, 0, 5);
        }

        @Override
        public void derivatives(double t, double[] y, double[] yDot) {
            yDot[0] = -y[0] + Math.sin(t);
        }

        @Override
        void computeExact(double t, double[] out) {
            out[0] = 1.5 * Math.exp(-t) + 0.5 * (Math.sin(t) - Math.cos(t));
        }
    }

    /**
     * The Kepler problem (unit gravitational parameter and semi-major axis) with eccentricity 0.5, from periapsis,
     * over one period. Exact state from Kepler's equation E - e sin E = t, solved by Newton's method.
     */
    static final class Kepler extends TestProblem {
        static final double E = 0.5;

        Kepler() {
            super("kepler e=0.5", 4, 0, 2 * Math.PI);
        }

        @Override
        public void derivatives(double t, double[] y, double[] yDot) {
            double r2 = y[0] * y[0] + y[1] * y[1];
            double r3 = r2 * Math.sqrt(r2);
            yDot[0] = y[2];
            yDot[1] = y[3];
            yDot[2] = -y[0] / r3;
            yDot[3] = -y[1] / r3;
        }

        @Override
        void computeExact(double t, double[] out) {
            double anomaly = eccentricAnomaly(t);
            double cos = Math.cos(anomaly);
            double sin = Math.sin(anomaly);
            double root = Math.sqrt(1 - E * E);
            double denominator = 1 - E * cos;
            out[0] = cos - E;
            out[1] = root * sin;
            out[2] = -sin / denominator;
            out[3] = root * cos / denominator;
        }

        static double eccentricAnomaly(double meanAnomaly) {
            double anomaly = meanAnomaly;
            for (int i = 0; i < 50; i++) {
                double step = (anomaly - E * Math.sin(anomaly) - meanAnomaly) / (1 - E * Math.cos(anomaly));
                anomaly -= step;
                if (Math.abs(step) < 1e-16) {
                    break;
                }
            }
            return anomaly;
        }
    }
}
