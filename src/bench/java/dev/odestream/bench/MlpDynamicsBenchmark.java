package dev.odestream.bench;

import dev.odestream.nn.Activation;
import dev.odestream.nn.Initializers;
import dev.odestream.nn.MlpDynamics;
import dev.odestream.nn.Parameters;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Neural dynamics on the solver's hot path: one derivative evaluation (forward) and one forward + vector-Jacobian
 * product, as the adjoint calls it, over a batch of latent states.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MlpDynamicsBenchmark {

    @Param({"1", "1000"})
    public int batch;

    @Param({"4", "32"})
    public int latent;

    @Param({"20", "128"})
    public int hidden;

    private MlpDynamics dynamics;
    private double[] y;
    private double[] a;
    private double[] yDot;
    private double[] aDfDy;
    private double[] aDfDTheta;

    @Setup
    public void setUp() {
        Parameters params = new Parameters();
        dynamics = new MlpDynamics(params, "f", latent, new int[] {hidden}, Activation.TANH, batch);
        Initializers.glorotWeightsZeroBiases(params, 7L);
        SplittableRandom rng = new SplittableRandom(11L);
        y = rng.doubles(batch * latent, -1, 1).toArray();
        a = rng.doubles(batch * latent, -1, 1).toArray();
        yDot = new double[y.length];
        aDfDy = new double[y.length];
        aDfDTheta = new double[dynamics.parameterCount()];
    }

    @Benchmark
    public double[] forward() {
        dynamics.derivatives(0.0, y, yDot);
        return yDot;
    }

    @Benchmark
    public double[] forwardAndVjp() {
        dynamics.derivativesAndVjp(0.0, y, a, yDot, aDfDy, aDfDTheta);
        return aDfDTheta;
    }

    /**
     * Floating-point operations of one call, counting a multiply-add as two: the forward pass is two matrix products
     * ({@code latent x hidden} and back); the VJP adds the input and the weight gradients, twice the forward's work.
     */
    static double flops(String benchmark, int batch, int latent, int hidden) {
        double forward = 2.0 * batch * (2.0 * latent * hidden);
        return benchmark.endsWith("forwardAndVjp") ? 3 * forward : forward;
    }
}
