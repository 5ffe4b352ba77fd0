package dev.odestream.cuda;

import dev.odestream.nn.Parameters;

/**
 * A {@code y = x W + b} layer whose weight and bias are views into the device's flat parameter vector, laid out as
 * {@link dev.odestream.nn.Linear}'s ({@code W} is {@code in x out}). Gradients go to any device vector that mirrors
 * a slice of the flat layout: {@code target + (offset - base)}.
 */
final class DeviceLinear {

    final int in;
    final int out;
    private final Device kernels;
    private final long weight;
    private final long bias;
    private final int weightOffset;
    private final int biasOffset;

    /**
     * @param layout the model's parameters, for the block offsets
     * @param theta device pointer to the flat parameter values
     */
    DeviceLinear(Device kernels, Parameters layout, String name, long theta) {
        this.kernels = kernels;
        var w = layout.block(name + ".weight");
        var b = layout.block(name + ".bias");
        this.in = w.dimension(0);
        this.out = w.dimension(1);
        this.weightOffset = w.offset();
        this.biasOffset = b.offset();
        this.weight = theta + 8L * weightOffset;
        this.bias = theta + 8L * biasOffset;
    }

    /** {@code pre = x W + b}, {@code post = act(pre)}; {@code post} may be {@code pre} for the identity. */
    void forward(long x, long pre, long post, int rows, int act) {
        kernels.run("linear_forward", (long) rows * out, x, weight, bias, pre, post, rows, in, out, act);
    }

    /** Adds this layer's parameter gradient, {@code x} being the forward input. */
    void backwardParams(long dOut, long x, int rows, long target, int base) {
        kernels.run("linear_backward_params", (long) in * out + out, dOut, x, target + 8L * (weightOffset - base),
                target + 8L * (biasOffset - base), rows, in, out);
    }

    /** {@code dIn = dOut W^T}. */
    void backwardInput(long dOut, long dIn, int rows) {
        kernels.run("linear_backward_input", (long) rows * in, dOut, weight, dIn, rows, in, out);
    }
}
