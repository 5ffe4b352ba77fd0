package dev.odestream.model;

import dev.odestream.nn.Activation;
import dev.odestream.nn.ParameterBlock;
import dev.odestream.nn.Parameters;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Small configurations, seeded event streams, and the model's maps evaluated independently from its blocks. */
final class Fixtures {

    private Fixtures() {
    }

    /** D=3, K=2, L=4, H=8, tight tolerances: small enough for fast tests, with every dimension distinct. */
    static ModelConfig small() {
        return new ModelConfig(3, 2, 4, 8, 8, 10, 7, Activation.TANH, 0.2, 6, 1e-8, 1e-10);
    }

    /** A seeded irregular window: context with masked values and a point event, targets and events after tau. */
    static Window window(ModelConfig c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Window.Builder b = Window.builder();
        double t = 0.0;
        for (int i = 0; i < 6; i++) {
            t += rng.nextDouble(0.05, 0.6);
            if (i == 3) {
                b.context(t, null, null, 1 % c.eventTypes());
            } else {
                b.context(t, values(rng, c.observationDim()), mask(rng, c.observationDim()),
                        rng.nextInt(c.eventTypes()));
            }
        }
        for (int j = 0; j < 4; j++) {
            t += rng.nextDouble(0.1, 0.7);
            b.target(t, values(rng, c.observationDim()), j == 1 ? mask(rng, c.observationDim()) : null);
            b.event(t - 0.05, rng.nextInt(c.eventTypes()));
        }
        return b.build();
    }

    static double[] normals(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextGaussian();
        }
        return a;
    }

    static double[] values(SplittableRandom rng, int d) {
        return rng.doubles(d, -1, 1).toArray();
    }

    /** At least one dimension present, at least one (the first) missing when d > 1. */
    static boolean[] mask(SplittableRandom rng, int d) {
        boolean[] m = new boolean[d];
        for (int i = 1; i < d; i++) {
            m[i] = rng.nextBoolean();
        }
        m[d - 1] = true;
        return m;
    }

    /** The training loss over a copy of the model's current parameter values, each window a batch of its own. */
    static BatchedElbo elbo(LatentOdeModel model) {
        return elbo(model, BatchedElbo.Recognition.ODE_RNN, 1, BatchedElbo.Stepping.CONTINUOUS);
    }

    /** The training loss over a copy of the model's current parameter values. */
    static BatchedElbo elbo(LatentOdeModel model, BatchedElbo.Recognition recognition, int maxBatch,
                            BatchedElbo.Stepping stepping) {
        BatchedElbo elbo = new BatchedElbo(model.config(), recognition, maxBatch, stepping);
        System.arraycopy(model.parameters().values(), 0, elbo.parameters().values(), 0, model.parameters().size());
        return elbo;
    }

    /** {@code copies} copies of a window: a batch whose rows are several reparameterisation draws of it. */
    static List<Window> repeated(Window w, int copies) {
        return Collections.nCopies(copies, w);
    }

    /** Folds a window's context into a fresh state through the streaming call. */
    static SeriesState observeContext(LatentOdeModel model, Window w) {
        SeriesState s = model.newState();
        double[] times = w.contextTimes();
        double[][] values = w.contextValues();
        boolean[][] masks = w.contextMasks();
        int[] types = w.contextTypes();
        for (int i = 0; i < times.length; i++) {
            model.observe(s, times[i], values[i], masks[i], types[i]);
        }
        return s;
    }

    /** Sets every value of the blocks whose name starts with {@code prefix} to zero. */
    static void zeroBlocks(Parameters p, String prefix) {
        for (ParameterBlock b : p.layout().blocks()) {
            if (b.name().startsWith(prefix)) {
                Arrays.fill(p.values(), b.offset(), b.end(), 0.0);
            }
        }
    }

    /**
     * Makes the dynamics under {@code prefix} stand still: zero weights and biases, and for the bounded kind a rate
     * {@code r = sigmoid(-1000) = 0}, which stops the decay {@code -r h} as well.
     */
    static void stillDynamics(Parameters p, String prefix) {
        zeroBlocks(p, prefix);
        for (ParameterBlock b : p.layout().blocks()) {
            if (b.name().startsWith(prefix) && b.name().endsWith(".rate")) {
                Arrays.fill(p.values(), b.offset(), b.end(), -1000.0);
            }
        }
    }

    /**
     * The right-hand side of the dynamics {@code name} of the configuration's kind, by hand: {@code MLP(y)}, or
     * {@code sigmoid(rho) * (tanh(MLP(y)) - y)} for the bounded kind.
     */
    static double[] dynamics(Parameters p, String name, ModelConfig c, double[] y) {
        double[] m = mlp(p, name, c.activation(), y);
        if (c.dynamics() == dev.odestream.nn.DynamicsKind.MLP) {
            return m;
        }
        ParameterBlock rate = p.block(name + ".rate");
        double[] f = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double r = 1.0 / (1.0 + Math.exp(-p.values()[rate.offset() + i]));
            f[i] = r * (Math.tanh(m[i]) - y[i]);
        }
        return f;
    }

    /** {@code x W + b} from the blocks {@code name.weight} ({in, out}) and {@code name.bias}, by hand. */
    static double[] affine(Parameters p, String name, double[] x) {
        ParameterBlock w = p.block(name + ".weight");
        ParameterBlock bias = p.block(name + ".bias");
        int in = w.dimension(0);
        int out = w.dimension(1);
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = p.values()[bias.offset() + o];
            for (int i = 0; i < in; i++) {
                s += x[i] * p.values()[w.offset() + i * out + o];
            }
            y[o] = s;
        }
        return y;
    }

    /** A one-hidden-layer MLP {@code name.layer0 -> act -> name.layer1}, by hand. */
    static double[] mlp(Parameters p, String name, Activation act, double[] x) {
        double[] hidden = affine(p, name + ".layer0", x);
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = act.value(hidden[i]);
        }
        return affine(p, name + ".layer1", hidden);
    }

    /** {@code softplus(w_k . z + b_k)}, by hand. */
    static double[] intensity(Parameters p, double[] z) {
        double[] pre = affine(p, "intensity", z);
        for (int k = 0; k < pre.length; k++) {
            pre[k] = Math.max(pre[k], 0) + Math.log1p(Math.exp(-Math.abs(pre[k])));
        }
        return pre;
    }

    /** Sample {@code s} of {@code z(tau) = mu + exp(logVar / 2) eps_s}. */
    static double[] sample(double[] mu, double[] logVar, double[] eps, int s) {
        double[] z = new double[mu.length];
        for (int l = 0; l < mu.length; l++) {
            z[l] = mu[l] + Math.exp(0.5 * logVar[l]) * eps[s * mu.length + l];
        }
        return z;
    }
}
