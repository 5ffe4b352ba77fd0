package dev.odestream.nn;

import java.util.Locale;

/**
 * Which neural dynamics a model's ODEs use; see {@link BatchDynamics#create}.
 */
public enum DynamicsKind {

    /**
     * {@code dh/dt = r * (tanh(MLP(h)) - h)}, {@code r = sigmoid(rho)} per dimension ({@link BoundedDynamics}):
     * bounded by construction, for any parameter values.
     */
    BOUNDED,

    /** {@code dh/dt = MLP(h)} ({@link MlpDynamics}): unbounded, the dynamics of the first models. */
    MLP;

    /** @return the name a checkpoint and a command line use: {@code bounded} or {@code mlp}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id {@code bounded} or {@code mlp}, in any case
     * @throws IllegalArgumentException for any other name, listing the choices
     */
    public static DynamicsKind parse(String id) {
        for (DynamicsKind kind : values()) {
            if (kind.id().equalsIgnoreCase(id.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown dynamics '" + id + "', expected bounded or mlp");
    }
}
