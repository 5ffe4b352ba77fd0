package dev.odestream.model;

/**
 * Validation of one incoming event against a series' state. The messages name the offending field and value, since
 * the streaming engine forwards them to the dead-letter queue as the reason. Allocates only when it throws.
 */
final class EventChecks {

    private EventChecks() {
    }

    static void check(SeriesState state, double t, double[] values, boolean[] mask, int eventType, int dim,
                      int types) {
        if (!Double.isFinite(t)) {
            throw new IllegalArgumentException("event time must be finite, got " + t);
        }
        if (state.hasEvents() && t < state.lastTime()) {
            throw new IllegalArgumentException("event time " + t + " is before the series' last event time "
                    + state.lastTime() + ": events must arrive in time order");
        }
        checkType(eventType, types);
        if (values != null) {
            checkValues(values, mask, dim);
        }
    }

    static void checkType(int type, int types) {
        if (type < 0 || type >= types) {
            throw new IllegalArgumentException("event type " + type + " outside [0, " + types + ")");
        }
    }

    /** Values must be finite wherever the mask says they are present. */
    static void checkValues(double[] values, boolean[] mask, int dim) {
        if (values.length != dim) {
            throw new IllegalArgumentException("values have length " + values.length + ", expected " + dim);
        }
        if (mask != null && mask.length != dim) {
            throw new IllegalArgumentException("mask has length " + mask.length + ", expected " + dim);
        }
        for (int d = 0; d < dim; d++) {
            if ((mask == null || mask[d]) && !Double.isFinite(values[d])) {
                throw new IllegalArgumentException("value " + d + " is " + values[d]
                        + " but marked present; mask it out if it is missing");
            }
        }
    }
}
