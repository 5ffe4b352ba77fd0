package dev.odestream.bench;

import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.LatentSystem;
import dev.odestream.model.ModelConfig;
import dev.odestream.nn.Activation;
import dev.odestream.nn.BatchDynamics;
import dev.odestream.nn.Linear;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The pieces of one derivative evaluation at the reference size ({@link ModelConfig#reference()}), for finding where a
 * {@link PerEventBenchmark} figure goes: the latent system {@code [z, Lambda]} over {@code S = 16} samples and its two
 * dynamics layers ({@code 8 -> 64 -> 8}), the tanh of its hidden layer (1024 entries), and the encoder ODE at batch 1
 * ({@code 32 -> 32 -> 32}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KernelBenchmark {

    private LatentSystem latent;
    private Linear hiddenLayer;
    private Linear outputLayer;
    private BatchDynamics encoder;
    private double[] z;
    private double[] zDot;
    private double[] hiddenIn;
    private double[] hiddenOut;
    private double[] h;
    private double[] hDot;
    private double[] hiddenGrad;
    private double[] grad;

    @Setup
    public void setUp() {
        LatentOdeModel model = new LatentOdeModel(ModelConfig.reference(), 7L);
        SplittableRandom rng = new SplittableRandom(11L);
        latent = model.latentSystem();
        latent.setRows(latent.maxRows());
        hiddenLayer = latent.dynamics().mlp().layer(0);
        outputLayer = latent.dynamics().mlp().layer(1);
        encoder = model.encoder().dynamics();
        z = rng.doubles(latent.dimension(), -1, 1).toArray();
        zDot = new double[z.length];
        hiddenIn = rng.doubles(latent.maxRows() * hiddenLayer.outputSize(), -2, 2).toArray();
        hiddenOut = new double[hiddenIn.length];
        h = rng.doubles(encoder.dimension(), -1, 1).toArray();
        hDot = new double[h.length];
        hiddenGrad = new double[hiddenIn.length];
        grad = new double[model.parameters().size()];
    }

    @Benchmark
    public double[] latentDerivatives() {
        latent.derivatives(0.0, z, zDot);
        return zDot;
    }

    @Benchmark
    public double[] latentHiddenLayer() {
        hiddenLayer.forward(z, hiddenOut, latent.rows());
        return hiddenOut;
    }

    @Benchmark
    public double[] latentOutputLayer() {
        outputLayer.forward(hiddenIn, zDot, latent.rows());
        return zDot;
    }

    @Benchmark
    public double[] tanh1024() {
        Activation.TANH.forward(hiddenIn, hiddenOut, hiddenIn.length);
        return hiddenOut;
    }

    @Benchmark
    public double[] encoderDerivatives() {
        encoder.derivatives(0.0, h, hDot);
        return hDot;
    }

    /** The latent dynamics' first layer backward (weight, bias and input gradients) over the whole batch. */
    @Benchmark
    public double[] latentHiddenLayerBackward() {
        hiddenLayer.forward(z, hiddenOut, latent.rows());
        hiddenLayer.backward(hiddenIn, zDot, latent.rows(), grad, 0);
        return grad;
    }

    /** The latent dynamics' second layer backward: four outputs, the narrowest kernels. */
    @Benchmark
    public double[] latentOutputLayerBackward() {
        outputLayer.forward(hiddenIn, zDot, latent.rows());
        outputLayer.backward(zDot, hiddenGrad, latent.rows(), grad, 0);
        return grad;
    }
}
