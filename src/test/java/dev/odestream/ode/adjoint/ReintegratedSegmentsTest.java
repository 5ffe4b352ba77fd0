package dev.odestream.ode.adjoint;

import dev.odestream.ode.Method;
import dev.odestream.ode.SolverOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReintegratedSegmentsTest {

    @Test
    void shouldLeaveTheParameterGradientOutOfTheBackwardErrorNorm() {
        GradientProblem p = GradientProblem.mlp();
        SolverOptions backward = SolverOptions.builder(Method.BOSH3).rtol(1e-5).atol(1e-7).maxSteps(777).build();
        SolverOptions used = new ReintegratedSegments(p.f(), backward, new Counters()).options();
        int n = p.f().dimension();
        assertEquals(2 * n, used.errorExcludedFrom());
        assertEquals(2 * n, used.errorComponents(2 * n + p.f().parameterCount()));
        assertEquals(Method.BOSH3, used.method());
        assertEquals(1e-5, used.rtol());
        assertEquals(1e-7, used.atol());
        assertEquals(777, used.maxSteps());
    }
}
