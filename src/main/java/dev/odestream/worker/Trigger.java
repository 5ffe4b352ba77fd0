package dev.odestream.worker;

import java.util.Locale;

/** Why a training round started; the tag of {@code odestream.worker.trainings}. */
public enum Trigger {
    /** The timer or the event count of the schedule. */
    SCHEDULE,
    /** The live error of the model in use degraded past the threshold. */
    DRIFT,
    /** No model exists yet and the buffer holds enough windows to fit a first one. */
    BOOTSTRAP;

    /** @return the metric tag, e.g. {@code drift}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
