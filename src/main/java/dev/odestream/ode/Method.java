package dev.odestream.ode;

/**
 * The integration methods by name. Adding one is a {@link Tableaus} constant plus one line here.
 */
public enum Method {
    EULER(Tableaus.EULER, 0),
    MIDPOINT(Tableaus.MIDPOINT, 0),
    HEUN(Tableaus.HEUN, 0),
    RK4(Tableaus.RK4, 0),
    BOSH3(Tableaus.BOSH3, 2),
    DOPRI5(Tableaus.DOPRI5, 4),
    TSIT5(Tableaus.TSIT5, 4),
    DOPRI8(Tableaus.DOPRI8, 5);

    private final Tableau tableau;
    private final int errorOrder;

    Method(Tableau tableau, int errorOrder) {
        this.tableau = tableau;
        this.errorOrder = errorOrder;
    }

    /** @return the tableau this method runs. */
    public Tableau tableau() {
        return tableau;
    }

    /** @return whether the method has an embedded error estimate and so can choose its own steps. */
    public boolean adaptive() {
        return tableau.embedded();
    }

    /**
     * @return the order {@code q} of the embedded (lower-order) solution whose difference estimates the error; the
     *     controller scales steps by {@code err^(-1/(q+1))}. Zero for fixed-step methods.
     */
    public int errorOrder() {
        return errorOrder;
    }
}
