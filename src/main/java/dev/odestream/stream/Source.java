package dev.odestream.stream;

/**
 * What produced a forecast or intensity: a model version, or the per-series baseline served while no model exists
 * ({@link dev.odestream.model.BaselineForecast}). Records and answers carry it as {@code "source"}.
 */
public enum Source {
    /** A latent ODE model version. */
    MODEL("model"),
    /** The baseline: no model yet. */
    BASELINE("baseline");

    private final String code;

    Source(String code) {
        this.code = code;
    }

    /** @return the wire name */
    public String code() {
        return code;
    }

    /** @return the source with that wire name */
    public static Source fromCode(String code) {
        for (Source s : values()) {
            if (s.code.equals(code)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown source '" + code + "'");
    }
}
