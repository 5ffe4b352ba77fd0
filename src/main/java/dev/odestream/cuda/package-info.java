/**
 * Training on an NVIDIA GPU: the CUDA driver API through Java's Foreign Function &amp; Memory API, and the batched
 * negative ELBO with its adjoint gradient computed on the device.
 *
 * <p><b>Design.</b>
 * <ul>
 *   <li>{@link dev.odestream.cuda.CudaDriver} binds {@code libcuda.so.1} directly ({@code cuInit},
 *       {@code cuDevicePrimaryCtxRetain} + {@code cuCtxSetCurrent}, {@code cuModuleLoadData},
 *       {@code cuLaunchKernel}, the {@code _v2} memory calls); every failing call becomes an exception naming the
 *       call and the driver's error name. {@link dev.odestream.cuda.CudaDriver#probe()} says why no device can be
 *       used (no library, no device, a failing {@code cuInit}) and never throws, so callers fall back to the CPU.</li>
 *   <li>Kernels are CUDA C in {@code src/main/cuda}, compiled once with {@code nvcc -ptx} and committed as the
 *       resource {@code /cuda/odestream.ptx} (PTX ISA 9.0, which driver 580 accepts): neither CI nor the GPU machine
 *       needs nvcc, and a test regenerates the PTX and compares it whenever nvcc is present.</li>
 *   <li>The device repeats the CPU reference ({@code dev.odestream.model.BatchedElbo}) step for step: the same union
 *       grids, the same masked rows, the same dopri5 steps. The step-size control stays on the host, which reads
 *       back one error norm per step and decides with the JVM solver's own
 *       {@link dev.odestream.ode.StepSizeController}; the loss is assembled and the evaluations counted in the JVM
 *       path's {@link dev.odestream.model.ElboTotals}, and a batch is checked by the same
 *       {@link dev.odestream.model.Window#checkShape}. Everything the size of the batch or of the parameters stays
 *       on the device.
 *       Layer arithmetic repeats the JVM's order of operations, so results agree with the CPU batched path to
 *       rounding, far inside the 1e-9 the tests demand.</li>
 *   <li>The stepping is the JVM path's ({@code BatchedElbo.Stepping}): {@code CONTINUOUS}, the default,
 *       solves the latent path through each stretch of grid times in one pass and reads them off dopri5's dense
 *       output (an interpolant fitted once per step on the device), and starts every solve that continues its
 *       solver's last one with the step that one proposed, a number kept on the host; {@code RESTART} solves each
 *       grid segment afresh.</li>
 *   <li>Everything above the kernels talks to a {@link dev.odestream.cuda.Device}: the GPU
 *       ({@link dev.odestream.cuda.Kernels}) in production; in tests also the CUDA source compiled for the host, so
 *       machines without a GPU check the kernels' arithmetic and the host code against the CPU reference.</li>
 * </ul>
 */
package dev.odestream.cuda;
