package dev.odestream.cuda;

/** An ODE right-hand side evaluated on the device: {@code yDot = f(t, y)} on device vectors of {@link #dimension()}. */
interface DeviceSystem {

    /** @return the state length */
    int dimension();

    /**
     * @param y device pointer to the state. Not modified.
     * @param yDot device pointer that receives the derivative. Modified.
     */
    void derivatives(double t, long y, long yDot);
}
