package dev.odestream.cuda;

import dev.odestream.model.Window;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.train.CpuBackend;
import dev.odestream.train.TrainingBackend;
import dev.odestream.train.TrainingSettings;

import java.util.List;

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
 * call. Covers models whose MLPs use tanh or softplus; others are refused when a session opens.
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
     * A session on the device; for a model whose observation noise is learned
     * ({@link dev.odestream.model.ModelConfig#learnedNoise()}), which the device's loss does not have yet, a session
     * of the CPU backend instead, so such a model still trains, on the host.
     */
    @Override
    public Session open(LoadedModel start, TrainingSettings settings) {
        if (start.config().learnedNoise()) {
            return scorer.open(start, settings);
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
