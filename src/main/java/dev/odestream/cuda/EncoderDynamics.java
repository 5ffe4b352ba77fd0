package dev.odestream.cuda;

/** The encoder ODE {@code dh/dt = MLP(h)} on {@code rows x H}: the device form of the batched encoder's dynamics. */
final class EncoderDynamics extends RowDynamics {

    private final DeviceMlp mlp;

    /**
     * @param base flat index of the MLP's first parameter
     * @param count the MLP's parameter count
     */
    EncoderDynamics(DeviceMlp mlp, int base, int count) {
        super(base, count, mlp.in());
        this.mlp = mlp;
    }

    @Override
    void derivatives(long y, long yDot) {
        mlp.forward(y, yDot, rows);
    }

    @Override
    void vjp(long a, long aDfDy, long aDfDTheta) {
        mlp.backward(a, aDfDy, rows, aDfDTheta, base);
    }
}
