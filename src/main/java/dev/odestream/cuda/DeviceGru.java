package dev.odestream.cuda;

import dev.odestream.nn.Parameters;

/**
 * {@link dev.odestream.nn.GruCell} on the device, with a row mask: rows whose mask is 0 keep their state, as the
 * batched encoder's masked update does. The backward pass needs the forward pass it follows to have been the last
 * one (it reads the gates), as the JVM cell's does.
 */
final class DeviceGru {

    private final Device kernels;
    private final DeviceLinear input;
    private final DeviceLinear hiddenLinear;
    private final int hidden;
    private final long gx;
    private final long gh;
    private final long r;
    private final long z;
    private final long n;
    private final long dgx;
    private final long dgh;
    private final long dDirect;
    private final long dhPrevious;

    DeviceGru(Device kernels, DeviceMemory memory, Parameters layout, String name, long theta, int maxRows) {
        this.kernels = kernels;
        this.input = new DeviceLinear(kernels, layout, name + ".input", theta);
        this.hiddenLinear = new DeviceLinear(kernels, layout, name + ".hidden", theta);
        this.hidden = hiddenLinear.in;
        long gates = 3L * maxRows * hidden;
        long states = (long) maxRows * hidden;
        this.gx = memory.doubles(gates);
        this.gh = memory.doubles(gates);
        this.dgx = memory.doubles(gates);
        this.dgh = memory.doubles(gates);
        this.r = memory.doubles(states);
        this.z = memory.doubles(states);
        this.n = memory.doubles(states);
        this.dDirect = memory.doubles(states);
        this.dhPrevious = memory.doubles(states);
    }

    /**
     * {@code h <- GRU(x, h)} on the rows whose mask is set.
     *
     * @param h the state, in place. Modified.
     * @param mask one int per row; 0 keeps the row
     */
    void forward(long x, long h, long mask, int rows) {
        input.forward(x, gx, gx, rows, 0);
        hiddenLinear.forward(h, gh, gh, rows, 0);
        kernels.run("gru_gates", (long) rows * hidden, gx, gh, h, mask, r, z, n, rows, hidden);
    }

    /**
     * Back through a masked update re-run by {@link #forward} from {@code hPre} (so the gates are current; pass a
     * copy of the state as {@code h} there): parameter gradients into {@code grad} (the flat layout from 0), and
     * {@code dh <- dL/dh_pre} on the masked rows.
     *
     * @param x the update's input. Not modified.
     * @param hPre the state before the update. Not modified.
     * @param dh on entry {@code dL/dh'}, on exit {@code dL/dh}. Modified.
     */
    void backward(long x, long hPre, long mask, long dh, int rows, long grad) {
        kernels.run("gru_backward_rows", (long) rows * hidden, dh, mask, r, z, n, gh, hPre, dgx, dgh, dDirect, rows,
                hidden);
        input.backwardParams(dgx, x, rows, grad, 0);
        hiddenLinear.backwardParams(dgh, hPre, rows, grad, 0);
        hiddenLinear.backwardInput(dgh, dhPrevious, rows);
        kernels.run("gru_backward_finish", (long) rows * hidden, dhPrevious, dDirect, mask, dh, rows, hidden);
    }

    int hidden() {
        return hidden;
    }
}
