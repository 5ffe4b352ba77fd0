package dev.odestream.cuda;

/** The encoder ODE {@code dh/dt = MLP(h)} on {@code rows x H}: the device form of the batched encoder's dynamics. */
final class EncoderDynamics implements RowDynamics {

    private final DeviceMlp mlp;
    private final int base;
    private final int count;
    private final int[] widths;
    private int rows;

    /**
     * @param base flat index of the MLP's first parameter
     * @param count the MLP's parameter count
     */
    EncoderDynamics(DeviceMlp mlp, int base, int count) {
        this.mlp = mlp;
        this.base = base;
        this.count = count;
        this.widths = new int[] {mlp.in()};
    }

    void setRows(int rows) {
        this.rows = rows;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int[] widths() {
        return widths;
    }

    @Override
    public int parameterCount() {
        return count;
    }

    @Override
    public void derivatives(long y, long yDot) {
        mlp.forward(y, yDot, rows);
    }

    @Override
    public void vjp(long a, long aDfDy, long aDfDTheta) {
        mlp.backward(a, aDfDy, rows, aDfDTheta, base);
    }
}
