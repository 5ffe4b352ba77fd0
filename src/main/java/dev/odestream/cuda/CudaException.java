package dev.odestream.cuda;

/** A CUDA driver call failed, or the driver or a device is missing; the message names the call and the error. */
public final class CudaException extends RuntimeException {

    /** @param message the failing call and the driver's error name */
    public CudaException(String message) {
        super(message);
    }
}
