package dev.odestream.cuda;

import dev.odestream.nn.Activation;
import dev.odestream.nn.Parameters;

/**
 * {@link dev.odestream.nn.Mlp} with one hidden layer ({@code name.layer0}, {@code name.layer1}) on the device: a
 * hidden activation and a linear output. The forward pass keeps what the backward pass reads: the input pointer
 * (which the caller leaves unchanged until then), the hidden pre-activations and activations.
 */
final class DeviceMlp {

    /** @return the kernels' code of a hidden activation the device supports */
    static int code(Activation act) {
        return switch (act) {
            case TANH -> 1;
            case SOFTPLUS -> 2;
            default -> throw new IllegalArgumentException("the CUDA backend supports tanh and softplus, not " + act);
        };
    }

    final DeviceLinear layer0;
    final DeviceLinear layer1;
    private final Device kernels;
    private final int act;
    private final long pre0;
    private final long post0;
    private final long dHidden;
    private final long dPre0;
    private long input;

    DeviceMlp(Device kernels, DeviceMemory memory, Parameters layout, String name, long theta, Activation act,
              int maxRows) {
        if (layout.layout().contains(name + ".layer2.weight")) {
            throw new IllegalArgumentException(name + " has more than one hidden layer");
        }
        this.kernels = kernels;
        this.act = code(act);
        this.layer0 = new DeviceLinear(kernels, layout, name + ".layer0", theta);
        this.layer1 = new DeviceLinear(kernels, layout, name + ".layer1", theta);
        long hidden = (long) maxRows * layer0.out;
        this.pre0 = memory.doubles(hidden);
        this.post0 = memory.doubles(hidden);
        this.dHidden = memory.doubles(hidden);
        this.dPre0 = memory.doubles(hidden);
    }

    /** {@code out = MLP(x)} for {@code rows} rows; {@code x} must stay unchanged until {@link #backward}. */
    void forward(long x, long out, int rows) {
        input = x;
        layer0.forward(x, pre0, post0, rows, act);
        layer1.forward(post0, out, out, rows, 0);
    }

    /**
     * Through the last forward pass: parameter gradients added to {@code target} (which mirrors the flat layout
     * from index {@code base}), and {@code dIn = dOut dMLP/dx}.
     */
    void backward(long dOut, long dIn, int rows, long target, int base) {
        layer1.backwardParams(dOut, post0, rows, target, base);
        layer1.backwardInput(dOut, dHidden, rows);
        kernels.run("activation_backward", (long) rows * layer0.out, pre0, post0, dHidden, dPre0,
                rows * layer0.out, act);
        layer0.backwardParams(dPre0, input, rows, target, base);
        layer0.backwardInput(dPre0, dIn, rows);
    }

    int in() {
        return layer0.in;
    }

    int out() {
        return layer1.out;
    }
}
