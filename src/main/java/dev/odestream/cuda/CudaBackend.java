package dev.odestream.cuda;

import dev.odestream.model.ModelConfig;
import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.nn.DynamicsKind;
import dev.odestream.train.CpuBackend;
import dev.odestream.train.TrainingBackend;
import dev.odestream.train.TrainingSettings;

import java.util.List;
import java.util.Optional;

/**
 * Training on one NVIDIA GPU: each session keeps the parameters, the Adam moments and each minibatch's data on the
 * device and takes whole optimizer steps there ({@link CudaSession}), computing the same batched negative ELBO and
 * adjoint gradient as the JVM's batched path ({@code LatentOdeTrainable} over one shard), so the two agree to
 * rounding.
 *
 * <p>Sessions take the batched path's default stepping ({@code LatentOdeTrainable.Options.defaults()}), as the
 * {@link CpuBackend}'s trainer does, so both backends take the same steps.
 *
 * <p>Held-out scoring, a few forward passes per round that decide promotion, runs on the {@link CpuBackend}, the
 * reference, so that the gate judges every candidate by the same arithmetic whatever trained it.
 *
 * <p>One device, one thread at a time: sessions make the device's context current on the calling thread at each
 * call. Covers models whose MLPs use tanh or softplus; others are refused when a session opens. The kernels implement
 * the first models' dynamics ({@link DynamicsKind#MLP}, no gap limit) only: {@link #refusal} names
 * the bounded dynamics and the gap rule as reasons, so that the worker's {@link dev.odestream.train.FallbackBackend}
 * trains such models on the CPU, and a session for one is refused.
 */
public final class CudaBackend implements TrainingBackend {

    private final CudaDriver driver;
    private final Kernels kernels;
    private final CpuBackend scorer;

    private CudaBackend(CudaDriver driver, int scoringThreads) {
        this.driver = driver;
        this.kernels = new Kernels(driver);
        this.scorer = new CpuBackend(scoringThreads);
    }

    /**
     * Opens device 0 and loads the kernels.
     *
     * @param scoringThreads threads of the CPU scoring of held-out windows
     * @throws CudaException when no device can be used; the message says why
     */
    public static CudaBackend open(int scoringThreads) {
        return open(CudaDriver.LIBRARY, scoringThreads);
    }

    /** @param library the driver library, a soname or a path (tests bind a host-side stand-in) */
    static CudaBackend open(String library, int scoringThreads) {
        CudaDriver.Probe probe = CudaDriver.probe(library);
        if (!probe.available()) {
            throw new CudaException("no CUDA device: " + probe.reason());
        }
        CudaDriver driver = CudaDriver.open(library, 0);
        try {
            return new CudaBackend(driver, scoringThreads);
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** @return the device's name */
    public String deviceName() {
        return driver.deviceName();
    }

    /**
     * @return why the kernels cannot train models of this configuration: dynamics other than
     *     {@link DynamicsKind#MLP}, a gap limit, or a learned observation noise; empty when they can
     */
    public static Optional<String> unsupported(ModelConfig config) {
        if (config.dynamics() != DynamicsKind.MLP) {
            return Optional.of("the CUDA kernels implement the mlp dynamics only, the model has "
                    + config.dynamics().id() + " dynamics");
        }
        if (config.limitsGaps()) {
            return Optional.of("the CUDA kernels have no gap rule, the model has maxGap = " + config.maxGap());
        }
        if (config.learnedNoise()) {
            return Optional.of("the CUDA loss has a fixed observation noise, the model learns its noise");
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> refusal(ModelConfig config) {
        return unsupported(config);
    }

    /** @throws IllegalArgumentException for a model the kernels cannot train ({@link #unsupported}) */
    @Override
    public Session open(LoadedModel start, TrainingSettings settings) {
        Optional<String> refused = unsupported(start.config());
        if (refused.isPresent()) {
            throw new IllegalArgumentException(refused.get());
        }
        driver.makeCurrent();
        return new CudaSession(kernels, start.instantiate(), settings);
    }

    @Override
    public HeldOutScore score(LoadedModel model, List<Window> windows) {
        return scorer.score(model, windows);
    }

    /** @return the loaded kernels, for sessions made outside {@link #open(LoadedModel, TrainingSettings)} */
    Kernels kernels() {
        return kernels;
    }

    @Override
    public void close() {
        scorer.close();
        driver.close();
    }
}
