package dev.odestream.model.checkpoint;

import dev.odestream.model.DataSpec;
import dev.odestream.model.LatentOdeModel;
import dev.odestream.model.ModelConfig;
import dev.odestream.model.ValueTransform;
import dev.odestream.nn.Activation;
import dev.odestream.nn.DynamicsKind;

import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A model version the engine has checked and may use: the architecture, the seed (which fixes the forecast noise)
 * and the parameter values. Immutable; each thread builds its own {@link LatentOdeModel} with {@link #instantiate()}.
 *
 * <p>A checkpoint is accepted only if it decodes (magic, format, length, CRC32C, finite values, a layout that tiles
 * the parameters), names the engine's architecture in its hyperparameters ({@link #hyperparameters}; the seed may
 * differ), and has exactly the parameter layout that architecture builds. Its {@link DataSpec} (what the numbers mean
 * in the user's data) travels in the same hyperparameters, under {@value DataSpec#PREFIX}; a checkpoint for data of
 * another shape is refused with both shapes named.
 *
 * @param version the model version forecasts will name
 * @param seed seed of the forecast noise
 * @param config the architecture
 * @param parameters the flat parameter values; copied in and out
 * @param trainedAt when training of this version finished, from its checkpoint; empty for an untrained model. Not
 *     part of the model's identity ({@link #equals} ignores it)
 * @param spec what the model's numbers mean in the user's data: value names, event types, time unit, value
 *     transforms; {@link DataSpec#identity} for a model with no data behind it
 *
 * <p><b>No model yet.</b> A version without parameters ({@link #baseline}, {@link #isBaseline}) stands for "no model
 * yet": the engine serves the per-series baseline forecast for data of the config's shape, and the first real model
 * of that shape replaces it whatever its architecture ({@link #fromRecord(String, byte[], LoadedModel)}); the
 * config's architecture is the one the worker bootstraps a first model with.
 */
public record LoadedModel(long version, long seed, ModelConfig config, double[] parameters,
                          Optional<Instant> trainedAt, DataSpec spec) {

    /** The hyperparameter of {@link ModelConfig#learnedNoise()}, present only when true. */
    private static final String LEARNED_NOISE = "learnedNoise";


    /** Hyperparameter naming the model family. */
    public static final String FAMILY_KEY = "model";
    /** The latent ODE's family name. */
    public static final String FAMILY = "latent-ode";
    /**
     * Hyperparameter naming the dynamics ({@link DynamicsKind#id()}); written for every kind but
     * {@link DynamicsKind#MLP}, which its absence means, so the checkpoints written before it existed load as they were.
     */
    public static final String DYNAMICS_KEY = "dynamics";

    /** Hyperparameter with the gap rule's {@code maxGap} in model time units; absent: no limit. */
    public static final String MAX_GAP_KEY = "maxGap";

    /** Hyperparameter with the seed of the forecast noise. */
    public static final String SEED_KEY = "seed";

    /** The hyperparameter that records what the data were divided by. */
    public static final String VALUE_SCALE = "data.valueScale";

    /** Checks and copies. */
    public LoadedModel {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(trainedAt, "trainedAt");
        Objects.requireNonNull(spec, "spec");
        if (spec.observationDim() != config.observationDim() || spec.eventTypes().size() != config.eventTypes()) {
            throw new IllegalArgumentException("the data spec (" + spec.shape() + ") is not the model's shape ("
                    + config.observationDim() + " values, " + config.eventTypes() + " event types)");
        }
        parameters = parameters.clone();
    }

    /** A version with no data spec, trained at {@code trainedAt} or never. */
    public LoadedModel(long version, long seed, ModelConfig config, double[] parameters,
                       Optional<Instant> trainedAt) {
        this(version, seed, config, parameters, trainedAt,
                DataSpec.identity(config.observationDim(), config.eventTypes()));
    }

    /** A version with no data spec that was never trained, or whose training time is unknown. */
    public LoadedModel(long version, long seed, ModelConfig config, double[] parameters) {
        this(version, seed, config, parameters, Optional.empty());
    }

    /**
     * @param config the data's shape (observation dimension, event types) and the architecture a first model gets
     * @return version 0 without parameters: no model yet, the baseline is served
     */
    public static LoadedModel baseline(ModelConfig config) {
        return new LoadedModel(0, 0, config, new double[0], Optional.empty(),
                DataSpec.identity(config.observationDim(), config.eventTypes()));
    }

    /** @return whether this is the "no model yet" version of {@link #baseline}: it has no parameters */
    public boolean isBaseline() {
        return parameters.length == 0;
    }

    /** @return the shape of the data this version is for, e.g. for messages */
    public String shape() {
        return DataSpec.shape(config.observationDim(), config.eventTypes());
    }

    /**
     * Reads and checks a record of the {@code models} topic against the version in use: against its architecture, or,
     * when no model exists yet ({@link #isBaseline}), against its data shape only, the architecture being the
     * record's own.
     *
     * @throws ModelRejectedException saying what failed; a record for data of another shape names both shapes
     */
    public static LoadedModel fromRecord(String key, byte[] value, LoadedModel current) throws ModelRejectedException {
        if (!current.isBaseline()) {
            return fromRecord(key, value, current.config());
        }
        Checkpoint checkpoint = CheckpointEnvelope.open(key, value);
        ModelConfig theirs;
        try {
            if (!FAMILY.equals(checkpoint.hyperparameters().get(FAMILY_KEY))) {
                throw new ModelRejectedException("not a latent ODE checkpoint: model = "
                        + checkpoint.hyperparameters().get(FAMILY_KEY));
            }
            theirs = configOf(checkpoint.hyperparameters());
        } catch (RuntimeException e) {
            throw new ModelRejectedException("checkpoint hyperparameters do not describe a model: " + e.getMessage(),
                    e);
        }
        requireShape(checkpoint, current.config());
        return fromCheckpoint(checkpoint, theirs);
    }

    /** @return this version with another data spec (the same parameters) */
    public LoadedModel withSpec(DataSpec newSpec) {
        return new LoadedModel(version, seed, config, parameters, trainedAt, newSpec);
    }

    /** @return this version under another version number, as a candidate built from it is published */
    public LoadedModel withParameters(long newVersion, double[] newParameters) {
        return new LoadedModel(newVersion, seed, config, newParameters, Optional.empty(), spec);
    }

    /** @return epoch seconds at which training finished, 0 for an untrained model. */
    public long trainedAtEpochSeconds() {
        return trainedAt.map(Instant::getEpochSecond).orElse(0L);
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    /** @return version 0: the seeded initial (untrained) model of that architecture. */
    public static LoadedModel initial(ModelConfig config, long seed) {
        return of(0, new LatentOdeModel(config, seed));
    }

    /** @return the current parameters of a model as a version, never trained. */
    public static LoadedModel of(long version, LatentOdeModel model) {
        return new LoadedModel(version, model.seed(), model.config(), model.parameters().values());
    }

    /**
     * @return a new model instance with these parameters, for one thread
     * @throws IllegalStateException for the {@link #baseline}, which has no model
     */
    public LatentOdeModel instantiate() {
        if (isBaseline()) {
            throw new IllegalStateException("version " + version + " is the baseline: no model to instantiate");
        }
        LatentOdeModel model = new LatentOdeModel(config, seed);
        System.arraycopy(parameters, 0, model.parameters().values(), 0, parameters.length);
        return model;
    }

    /**
     * Decodes and checks a checkpoint against the engine's architecture.
     *
     * @param bytes an ODSC checkpoint
     * @param expected the engine's architecture
     * @throws ModelRejectedException saying what failed
     */
    public static LoadedModel fromCheckpoint(byte[] bytes, ModelConfig expected) throws ModelRejectedException {
        Checkpoint checkpoint;
        try {
            checkpoint = CheckpointCodec.decode(bytes);
        } catch (CheckpointFormatException e) {
            throw new ModelRejectedException("not a valid checkpoint: " + e.getMessage(), e);
        }
        return fromCheckpoint(checkpoint, expected);
    }

    /**
     * Reads and checks a record of the {@code models} topic: a {@link CheckpointEnvelope} or a raw ODSC checkpoint.
     *
     * @param key the record key, the model name an envelope must carry
     * @param value the record value
     * @param expected the engine's architecture
     * @throws ModelRejectedException saying what failed
     */
    public static LoadedModel fromRecord(String key, byte[] value, ModelConfig expected)
            throws ModelRejectedException {
        return fromCheckpoint(CheckpointEnvelope.open(key, value), expected);
    }

    /**
     * Checks a decoded checkpoint against the engine's architecture.
     *
     * @throws ModelRejectedException saying what failed
     */
    public static LoadedModel fromCheckpoint(Checkpoint checkpoint, ModelConfig expected)
            throws ModelRejectedException {
        long seed = seedOf(checkpoint);
        requireShape(checkpoint, expected);
        DataSpec spec;
        try {
            spec = specOf(checkpoint.hyperparameters(), expected);
            checkpoint.requireCompatible(expectedHyperparameters(checkpoint, expected, seed, spec));
        } catch (IncompatibleCheckpointException | IllegalArgumentException e) {
            throw new ModelRejectedException(e.getMessage(), e);
        }
        LatentOdeModel model = new LatentOdeModel(expected, seed);
        if (!checkpoint.layout().equals(model.parameters().layout().blocks())) {
            throw new ModelRejectedException("checkpoint version " + checkpoint.modelVersion()
                    + " has a parameter layout other than the model's: " + checkpoint.layout());
        }
        return new LoadedModel(checkpoint.modelVersion(), seed, expected, checkpoint.parameters(),
                Optional.of(checkpoint.training().createdAt()), spec);
    }

    /**
     * The checkpoint's data spec; for a checkpoint of the {@code train} experiments, which record only the scale
     * their values were divided by ({@value #VALUE_SCALE}), that scale on every dimension, so the engine serves such
     * a model in the data's own units too.
     */
    private static DataSpec specOf(Map<String, String> h, ModelConfig expected) {
        DataSpec spec = DataSpec.fromHyperparameters(h, expected.observationDim(), expected.eventTypes());
        String scale = h.get(VALUE_SCALE);
        if (scale == null || !spec.equals(DataSpec.identity(expected.observationDim(), expected.eventTypes()))) {
            return spec;
        }
        ValueTransform divided = new ValueTransform(0.0, Double.parseDouble(scale), false);
        return new DataSpec(spec.valueNames(), spec.eventTypes(), spec.timeUnitMs(),
                Collections.nCopies(spec.observationDim(), divided));
    }

    /** A checkpoint for other data than the model in use is refused before anything else, naming both shapes. */
    private static void requireShape(Checkpoint checkpoint, ModelConfig expected) throws ModelRejectedException {
        Map<String, String> h = checkpoint.hyperparameters();
        String dim = h.get("observationDim");
        String types = h.get("eventTypes");
        if (dim == null || types == null || dim.equals(Integer.toString(expected.observationDim()))
                && types.equals(Integer.toString(expected.eventTypes()))) {
            return;
        }
        String theirs;
        try {
            theirs = DataSpec.fromHyperparameters(h, Integer.parseInt(dim), Integer.parseInt(types)).shape();
        } catch (IllegalArgumentException e) {
            theirs = dim + " values, " + types + " event types";
        }
        throw new ModelRejectedException("checkpoint version " + checkpoint.modelVersion() + " is for " + theirs
                + "; the model in use is for " + DataSpec.shape(expected.observationDim(), expected.eventTypes()));
    }

    /**
     * Decodes and checks a checkpoint whose architecture is taken from its own hyperparameters, for an engine that
     * starts from a checkpoint file: raw ODSC or a {@link CheckpointEnvelope}.
     *
     * @throws ModelRejectedException if it is not a valid latent ODE checkpoint
     */
    public static LoadedModel read(byte[] bytes) throws ModelRejectedException {
        Checkpoint checkpoint = CheckpointEnvelope.isEnvelope(bytes) ? CheckpointEnvelope.parse(bytes).verify()
                : fromBytes(bytes);
        try {
            Map<String, String> h = checkpoint.hyperparameters();
            if (!FAMILY.equals(h.get(FAMILY_KEY))) {
                throw new ModelRejectedException("not a latent ODE checkpoint: model = " + h.get(FAMILY_KEY));
            }
            return fromCheckpoint(checkpoint, configOf(h));
        } catch (RuntimeException e) {
            throw new ModelRejectedException("checkpoint hyperparameters do not describe a model: " + e.getMessage(),
                    e);
        }
    }

    private static Checkpoint fromBytes(byte[] bytes) throws ModelRejectedException {
        try {
            return CheckpointCodec.decode(bytes);
        } catch (CheckpointFormatException e) {
            throw new ModelRejectedException("not a valid checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * The engine feeds raw values to the model, so a checkpoint trained on values divided by a scale (the train
     * command records it) is accepted only when that scale is 1.
     */
    private static Map<String, String> expectedHyperparameters(Checkpoint checkpoint, ModelConfig expected, long seed,
                                                               DataSpec spec) throws ModelRejectedException {
        Map<String, String> map = new TreeMap<>(hyperparameters(expected, seed));
        if (checkpoint.hyperparameters().keySet().stream().anyMatch(k -> k.startsWith(DataSpec.PREFIX)
                && !k.equals(VALUE_SCALE))) {
            map.putAll(spec.toHyperparameters());
        }
        String scale = checkpoint.hyperparameters().get(VALUE_SCALE);
        if (scale != null) {
            map.put(VALUE_SCALE, scale);
        }
        return map;
    }

    private static long seedOf(Checkpoint checkpoint) throws ModelRejectedException {
        String seed = checkpoint.hyperparameters().get(SEED_KEY);
        try {
            return Long.parseLong(Objects.requireNonNull(seed, "missing"));
        } catch (NumberFormatException | NullPointerException e) {
            throw new ModelRejectedException("checkpoint version " + checkpoint.modelVersion()
                    + " has no integer hyperparameter '" + SEED_KEY + "' (got " + seed + ")");
        }
    }

    /** @return this version as a checkpoint, with the given provenance. */
    public Checkpoint toCheckpoint(TrainingMetadata training) {
        LatentOdeModel model = instantiate();
        Map<String, String> h = new TreeMap<>(hyperparameters(config, seed));
        if (!spec.equals(DataSpec.identity(config.observationDim(), config.eventTypes()))) {
            h.putAll(spec.toHyperparameters());
        }
        return new Checkpoint(version, h, model.parameters().layout().blocks(), parameters, training);
    }

    /**
     * The hyperparameters of a model: {@code model}, every {@link ModelConfig} field by its name, and {@code seed};
     * {@code learnedNoise} only when true, so a checkpoint written before the noise could be learned reads as a model
     * of fixed noise.
     * Doubles are written with {@link Double#toString}, which reads back to the same value.
     */
    public static Map<String, String> hyperparameters(ModelConfig c, long seed) {
        Map<String, String> h = new TreeMap<>();
        h.put(FAMILY_KEY, FAMILY);
        h.put("observationDim", Integer.toString(c.observationDim()));
        h.put("eventTypes", Integer.toString(c.eventTypes()));
        h.put("latentDim", Integer.toString(c.latentDim()));
        h.put("encoderHidden", Integer.toString(c.encoderHidden()));
        h.put("encoderOdeHidden", Integer.toString(c.encoderOdeHidden()));
        h.put("dynamicsHidden", Integer.toString(c.dynamicsHidden()));
        h.put("decoderHidden", Integer.toString(c.decoderHidden()));
        h.put("activation", c.activation().name());
        h.put("observationStd", Double.toString(c.observationStd()));
        h.put("forecastSamples", Integer.toString(c.forecastSamples()));
        h.put("rtol", Double.toString(c.rtol()));
        h.put("atol", Double.toString(c.atol()));
        if (c.learnedNoise()) {
            h.put(LEARNED_NOISE, "true");
        }
        if (c.dynamics() != DynamicsKind.MLP) {
            h.put(DYNAMICS_KEY, c.dynamics().id());
        }
        if (c.limitsGaps()) {
            h.put(MAX_GAP_KEY, Double.toString(c.maxGap()));
        }
        h.put("seed", Long.toString(seed));
        return h;
    }

    /**
     * Rebuilds the model a checkpoint was written from: its configuration and seed from the hyperparameters, its
     * parameters from the values. The value scale is not part of the model; read it with {@link #valueScale}.
     *
     * @throws IllegalArgumentException if the checkpoint is not of this model, or its layout differs from the
     *     layout the configuration builds
     */
    public static LatentOdeModel load(Checkpoint checkpoint) {
        Map<String, String> h = checkpoint.hyperparameters();
        if (!FAMILY.equals(h.get(FAMILY_KEY))) {
            throw new IllegalArgumentException("not a " + FAMILY + " checkpoint: model = " + h.get(FAMILY_KEY));
        }
        LatentOdeModel model = new LatentOdeModel(configOf(h), Long.parseLong(value(h, SEED_KEY)));
        if (!model.parameters().layout().blocks().equals(checkpoint.layout())) {
            throw new IllegalArgumentException("the checkpoint's parameter layout differs from the one its"
                    + " hyperparameters build: " + checkpoint.layout());
        }
        checkpoint.copyParameters(model.parameters().values());
        return model;
    }

    /** @return the scale the checkpoint's training data were divided by ({@value #VALUE_SCALE}); 1 if absent. */
    public static double valueScale(Checkpoint checkpoint) {
        String v = checkpoint.hyperparameters().get(VALUE_SCALE);
        return v == null ? 1.0 : Double.parseDouble(v);
    }

    /**
     * @return the configuration a hyperparameter map describes (the inverse of {@link #hyperparameters}); without
     *     {@value #DYNAMICS_KEY} the dynamics are {@link DynamicsKind#MLP}, and without {@value #MAX_GAP_KEY} there is
     *     no gap limit, as in the checkpoints written before either existed
     */
    public static ModelConfig configOf(Map<String, String> h) {
        double rtol = real(h, "rtol");
        double atol = real(h, "atol");
        String kind = h.get(DYNAMICS_KEY);
        String maxGap = h.get(MAX_GAP_KEY);
        return new ModelConfig(integer(h, "observationDim"), integer(h, "eventTypes"), integer(h, "latentDim"),
                integer(h, "encoderHidden"), integer(h, "encoderOdeHidden"), integer(h, "dynamicsHidden"),
                integer(h, "decoderHidden"), Activation.valueOf(value(h, "activation").toUpperCase(Locale.ROOT)),
                real(h, "observationStd"), integer(h, "forecastSamples"), rtol, atol, rtol, atol,
                kind == null ? DynamicsKind.MLP : DynamicsKind.parse(kind),
                maxGap == null ? ModelConfig.NO_GAP_LIMIT : Double.parseDouble(maxGap))
                .withLearnedNoise(Boolean.parseBoolean(h.getOrDefault(LEARNED_NOISE, "false")));
    }

    private static String value(Map<String, String> h, String key) {
        String v = h.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint lacks hyperparameter '" + key + "'");
        }
        return v;
    }

    private static int integer(Map<String, String> h, String key) {
        return Integer.parseInt(value(h, key));
    }

    private static double real(Map<String, String> h, String key) {
        return Double.parseDouble(value(h, key));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadedModel m && version == m.version && seed == m.seed && config.equals(m.config)
                && spec.equals(m.spec) && java.util.Arrays.equals(parameters, m.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, seed, config, spec) * 31 + java.util.Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
        return "LoadedModel[version=" + version + (isBaseline() ? ", baseline" : "") + ", seed=" + seed + ", config=" + config + ", parameters="
                + parameters.length + "]";
    }
}
