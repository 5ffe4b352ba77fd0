package dev.odestream.ode.adjoint;

import dev.odestream.ode.SolverOptions;

/** The ways this package computes gradients, as the tests run them. */
enum GradientPath {
    REINTEGRATE,
    CHECKPOINT,
    /** Checkpoint mode taping at most 4 steps at once. */
    CHECKPOINT_EVERY_4_STEPS,
    DIRECT;

    /** Runs the path on a problem with the same options forward and backward. */
    AdjointResult gradient(GradientProblem p, SolverOptions options) {
        return switch (this) {
            case REINTEGRATE -> new AdjointSolver(p.f(), options, options, AdjointSolver.Mode.REINTEGRATE)
                    .gradient(p.times(), p.y0(), p.r());
            case CHECKPOINT -> new AdjointSolver(p.f(), options, options, AdjointSolver.Mode.CHECKPOINT)
                    .gradient(p.times(), p.y0(), p.r());
            case CHECKPOINT_EVERY_4_STEPS ->
                    new AdjointSolver(p.f(), options, options, AdjointSolver.Mode.CHECKPOINT, 4)
                            .gradient(p.times(), p.y0(), p.r());
            case DIRECT -> new DirectBackprop(p.f(), options).gradient(p.times(), p.y0(), p.r());
        };
    }
}
