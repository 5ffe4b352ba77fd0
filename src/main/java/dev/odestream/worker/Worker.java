package dev.odestream.worker;

import dev.odestream.model.checkpoint.CheckpointEnvelope;
import dev.odestream.model.checkpoint.LoadedModel;
import dev.odestream.stream.InvalidEventException;
import dev.odestream.train.TrainingBackend;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The trainer worker: reads the {@code events} topic in its own consumer group (from the earliest retained event on
 * its first start), keeps a bounded {@link TrainingBuffer}, runs the model in use over every event as the engine does
 * and tracks its live error ({@link OnlineScorer}, {@link LiveError}), and when a round is due ({@link Triggers})
 * trains a warm-started candidate ({@link TrainingRound}) and publishes it to the {@code models} topic if it passes
 * the gate. It follows the {@code models} topic too, so a model published by anyone else with a higher version
 * becomes its parent; versions only go up (its own checkpoints read back are older news, and a rollback is published
 * as a new version).
 *
 * <p>Everything runs on the thread that calls {@link #run}; a round blocks reading, and the events wait on the
 * topic. {@link #close} may be called from any thread and makes {@link #run} return.
 */
public final class Worker implements Runnable, AutoCloseable {

    private final WorkerConfig config;
    private final Properties client;
    private final String groupId;
    private final WorkerMetrics metrics;
    private final TrainingBackend backend;
    private final Consumer<String> log;
    private final EventReader reader;
    private final TrainingBuffer buffer;
    private final LiveError live;
    private final TrainingRound round;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> events;
    private Triggers triggers;
    private ModelFeed feed;
    private OnlineScorer scorer;
    private boolean bootstrapTried;

    /**
     * @param config the worker's configuration
     * @param client Kafka client settings (bootstrap servers, security), passed through
     * @param groupId the consumer group of the events consumer, its own, not the engine's
     * @param metrics where it counts
     * @param backend where it trains; closed with the worker
     * @param log receives one line per round and per model change
     */
    public Worker(WorkerConfig config, Properties client, String groupId, WorkerMetrics metrics,
                  TrainingBackend backend, Consumer<String> log) {
        this.config = config;
        this.client = client;
        this.groupId = groupId;
        this.metrics = metrics;
        this.backend = backend;
        this.log = log;
        this.reader = new EventReader(config.initialModel().config(), config.eventTimeFromRecord(), config.limits(),
                config.maxFuture());
        this.buffer = new TrainingBuffer(config.buffer());
        this.live = new LiveError(config.triggers());
        this.round = new TrainingRound(config, backend);
    }

    /** Reads, scores and trains until {@link #close}. */
    @Override
    public void run() {
        try (ModelFeed models = new ModelFeed(client, config.topics().models(), config.modelName(),
                config.initialModel().config());
             KafkaConsumer<byte[], byte[]> consumer = eventsConsumer();
             KafkaProducer<String, byte[]> producer = modelsProducer()) {
            this.feed = models;
            this.events = consumer;
            ModelFeed.Update start = running ? models.catchUp(Duration.ofSeconds(30)) : null;
            adopt(start == null ? config.initialModel() : start.model(),
                    start == null ? null : TrainingRound.reference(start.checkpoint()));
            triggers = new Triggers(config.triggers(), System.nanoTime());
            consumer.subscribe(List.of(config.topics().events()), new RefillFromHistory(consumer));
            while (running) {
                step(consumer, producer);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            backend.close();
        }
    }

    private void step(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<String, byte[]> producer) {
        ModelFeed.Update update = feed.poll(Duration.ZERO);
        if (update != null && update.model().version() > scorer.model().version()) {
            adopt(update.model(), TrainingRound.reference(update.checkpoint()));
        }
        long now = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            take(r, now);
        }
        metrics.liveError(live.rmse(), live.nll());
        metrics.bufferWindows(buffer.windowCount());
        Optional<Trigger> due = bootstrapDue() ? Optional.of(Trigger.BOOTSTRAP)
                : triggers.due(System.nanoTime(), live.drifted());
        due.ifPresent(t -> train(t, producer));
    }

    /**
     * With no model yet, a first one is tried as soon as the buffer holds enough windows for a round, and after a
     * refusal again once {@code warmupEvents} more events have come; the schedule still applies as well.
     */
    private boolean bootstrapDue() {
        if (!scorer.model().isBaseline() || buffer.windowCount() < config.training().minWindows() + 1) {
            return false;
        }
        return bootstrapTried ? triggers.newEvents() >= config.triggers().warmupEvents() : triggers.newEvents() > 0;
    }

    private void take(ConsumerRecord<byte[], byte[]> r, long now) {
        metrics.eventIn();
        EventReader.Read read;
        try {
            read = reader.read(r.key(), r.value(), r.timestamp(), now);
        } catch (InvalidEventException e) {
            metrics.skipped(e.reason().code());
            return;
        }
        LiveScore score = scorer.next(read.series(), read.event(), () -> buffer.events(read.series()));
        if (score != null) {
            live.record(score);
        }
        buffer.add(read.series(), read.event());
        triggers.eventSeen();
    }

    private void train(Trigger trigger, KafkaProducer<String, byte[]> producer) {
        LoadedModel current = scorer.model();
        if (current.isBaseline()) {
            bootstrap(current, trigger, producer);
            return;
        }
        TrainingBuffer.Split split = buffer.split(current.spec());
        if (!round.enough(split)) {
            log.accept("worker: " + trigger.tag() + " round skipped: " + split.training().size()
                    + " training windows, " + config.training().minWindows() + " needed");
            triggers.roundDone(System.nanoTime());
            return;
        }
        long version = Math.max(current.version(), feed.maxVersion()) + 1;
        TrainingRound.Result result = round.run(current, version, split, trigger);
        metrics.round(result);
        log.accept(String.format(java.util.Locale.ROOT, "worker: %s round on %d windows, %d steps, %.3f s/step,"
                        + " loss %.4f: candidate version %d %s: %s", trigger.tag(), split.training().size(),
                result.stats().steps(), result.stats().secondsPerStep(), result.stats().loss(), version,
                verdict(result), result.verdict().reason()));
        if (result.accepted()) {
            publish(producer, result);
            feed.published(version);
            adopt(result.promoted(), result.reference());
        }
        triggers.roundDone(System.nanoTime());
    }

    private void bootstrap(LoadedModel baseline, Trigger trigger, KafkaProducer<String, byte[]> producer) {
        long version = Math.max(baseline.version(), feed.maxVersion()) + 1;
        TrainingRound.Result result = round.bootstrap(baseline, version, buffer, trigger);
        bootstrapTried = true;
        triggers.roundDone(System.nanoTime());
        if (result == null) {
            log.accept("worker: " + trigger.tag() + " round skipped: not enough windows for a first model yet");
            return;
        }
        metrics.round(result);
        log.accept(String.format(java.util.Locale.ROOT, "worker: %s round, a first model over the baseline, from a"
                        + " buffer of %d windows, %d steps, loss %.4f: version %d %s: %s", trigger.tag(),
                buffer.windowCount(), result.stats().steps(),
                result.stats().loss(), version, verdict(result), result.verdict().reason()));
        if (result.accepted()) {
            publish(producer, result);
            feed.published(version);
            adopt(result.promoted(), result.reference());
        }
    }

    private static String verdict(TrainingRound.Result result) {
        return result.accepted() ? "published" : "rejected (" + result.verdict().refusal().tag() + ")";
    }

    private void publish(KafkaProducer<String, byte[]> producer, TrainingRound.Result result) {
        // The JSON envelope shows the lineage to any consumer of the topic; the engine reads it like raw ODSC.
        byte[] bytes = CheckpointEnvelope.write(config.modelName(), result.published());
        try {
            producer.send(new ProducerRecord<>(config.topics().models(), config.modelName(), bytes)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a model", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish model version " + result.published().modelVersion()
                    + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void adopt(LoadedModel model, LiveError.Reference reference) {
        scorer = new OnlineScorer(model, config.timeScale(), config.buffer().maxSeries(),
                config.buffer().contextEvents());
        live.reset(reference);
        metrics.modelVersion(model.version());
        if (model.isBaseline()) {
            log.accept("worker: no model yet (the engine serves the baseline); a first one is trained once the buffer"
                    + " holds " + (config.training().minWindows() + 1) + " windows of "
                    + config.buffer().windowEvents() + " events");
            return;
        }
        log.accept("worker: following model version " + model.version() + ", measuring its live error over "
                + config.triggers().warmupEvents() + " events" + (reference == null ? "" : String.format(
                java.util.Locale.ROOT, " (held-out at promotion: rmse %.4f nll %.4f)", reference.rmse(),
                reference.nll())));
    }

    /**
     * The training buffer lives in memory, so a worker that starts (or takes over a partition) reads the partition's
     * retained history again rather than resuming from its group's committed offsets: a restarted worker trains on
     * the same recent windows as one that never stopped. The buffer's bounds keep the memory in check.
     */
    private record RefillFromHistory(KafkaConsumer<byte[], byte[]> consumer) implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumer.seekToBeginning(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }
    }

    private KafkaConsumer<byte[], byte[]> eventsConsumer() {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Positions come from the retained history at each assignment (RefillFromHistory), never from commits.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // As the engine under exactly-once reads: aborted records never reach the buffer.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A round blocks polling; the group must not evict the worker while it trains.
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(30).toMillis());
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> modelsProducer() {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Makes {@link #run} return after the step or round under way. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> consumer = events;
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
