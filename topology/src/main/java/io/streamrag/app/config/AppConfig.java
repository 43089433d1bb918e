package io.streamrag.app.config;

import static io.streamrag.app.config.ConfigCatalog.*;

import java.nio.file.Files;

import io.streamrag.inference.device.ComputeDevice;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.device.Precision;
import io.streamrag.inference.checkpoint.hub.HubSettings;
import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.cdc.CdcFieldMapping;
import io.streamrag.ingest.cdc.CdcFormat;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.qa.QaSettings;
import io.streamrag.store.RetrievalMode;
import io.streamrag.store.lucene.LuceneOptions;
import io.streamrag.store.qdrant.CollectionOptions;
import io.streamrag.store.RetrievalPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The whole configuration of the application, typed and validated. Build it with {@link ConfigLoader}; every key,
 * its default and its meaning are listed in {@link ConfigCatalog} and {@code CONFIG.md}.
 */
public record AppConfig(
        KafkaSettings kafka,
        RegistrySettings registry,
        TopicSettings topics,
        IngestSettings ingest,
        QaSettings qa,
        ModelSettings models,
        StoreSettings store,
        MetricsSettings metrics,
        List<CdcSource> cdcSources,
        FailureSettings failures) {

    public AppConfig {
        cdcSources = List.copyOf(cdcSources);
    }

    /** Kafka's rule for topic names. */
    private static final String TOPIC_NAME = "[a-zA-Z0-9._-]{1,249}";
    /** Client settings the application owns; setting them through a pass-through prefix is a mistake. */
    private static final Set<String> OWNED_CLIENT_KEYS = Set.of("bootstrap.servers");
    private static final Set<String> OWNED_STREAMS_KEYS = Set.of(
            "bootstrap.servers", "application.id", "processing.guarantee", "state.dir",
            "default.deserialization.exception.handler", "deserialization.exception.handler",
            "processing.exception.handler", "production.exception.handler", "default.production.exception.handler",
            "transaction.timeout.ms", "producer.transaction.timeout.ms", "max.poll.interval.ms",
            "consumer.max.poll.interval.ms", "main.consumer.max.poll.interval.ms");
    /** Brokers refuse longer transactions unless their {@code transaction.max.timeout.ms} is raised. */
    private static final long BROKER_TRANSACTION_MAX_TIMEOUT_MS = 900_000;

    /**
     * The configuration with every default, as if no file, environment or override were given: the production
     * values that tests start from.
     */
    public static AppConfig defaults() {
        return Defaults.CONFIG;
    }

    /** Loaded once, on first use. */
    private static final class Defaults {
        static final AppConfig CONFIG =
                new ConfigLoader(Map.of(), new java.util.Properties()).load(Optional.empty(), Map.of());
    }

    /**
     * Types and validates {@code raw}.
     *
     * @throws ConfigException listing every bad value with its key and origin
     */
    public static AppConfig from(RawConfig raw) {
        return from(raw, java.util.List.of());
    }

    /** As {@link #from(RawConfig)}, reporting {@code earlierProblems} (unknown keys) together with bad values. */
    static AppConfig from(RawConfig raw, java.util.List<String> earlierProblems) {
        ConfigReader reader = new ConfigReader(raw);
        earlierProblems.forEach(reader::report);
        Supplier<AppConfig> config = read(reader);
        reader.finish();
        return config.get();
    }

    /** Exposed for the test that checks every catalogue key is read. */
    static ConfigReader readAll(RawConfig raw) {
        ConfigReader reader = new ConfigReader(raw);
        read(reader);
        return reader;
    }

    /**
     * Reads and checks every key, each problem recorded with its key and origin, and returns how to build the
     * configuration: the role settings validate themselves, so they are built only once every value is known good.
     */
    private static Supplier<AppConfig> read(ConfigReader r) {
        String bootstrap = r.text(KAFKA_BOOTSTRAP_SERVERS);
        KafkaSettings kafka = new KafkaSettings(
                bootstrap.isBlank() ? Optional.empty() : Optional.of(bootstrap),
                r.path(KAFKA_DATA_DIR),
                r.integer(KAFKA_EMBEDDED_PORT),
                r.passThrough(KAFKA_CLIENT),
                r.passThrough(KAFKA_STREAMS),
                r.millis(KAFKA_ADMIN_TIMEOUT_MS),
                r.millis(KAFKA_SHUTDOWN_TIMEOUT_MS),
                r.millis(KAFKA_TRANSACTION_TIMEOUT_MS),
                r.millis(KAFKA_MAX_POLL_INTERVAL_MS));

        String registryUrl = r.text(SCHEMA_REGISTRY_URL);
        RegistrySettings registry = new RegistrySettings(
                registryUrl.isBlank() ? Optional.empty() : Optional.of(registryUrl),
                r.integer(SCHEMA_REGISTRY_EMBEDDED_PORT),
                r.passThrough(SCHEMA_REGISTRY_PROPERTIES));

        int replication = r.integer(TOPICS_REPLICATION_FACTOR);
        if (replication == 0) {
            r.problem(TOPICS_REPLICATION_FACTOR, "must be -1 (broker default) or at least 1");
        }
        TopicSettings topics = new TopicSettings(
                r.text(TOPICS_DOCUMENTS),
                r.list(TOPICS_CDC),
                r.text(TOPICS_QUESTIONS),
                r.text(TOPICS_ANSWERS),
                r.text(TOPICS_DEAD_LETTERS),
                r.text(TOPICS_INDEX_UPDATES),
                r.text(TOPICS_CAPTURED_DOCUMENTS),
                r.integer(TOPICS_PARTITIONS),
                replication > 0 ? Optional.of((short) replication) : Optional.empty(),
                r.bool(TOPICS_CREATE),
                r.millis(TOPICS_RETENTION_QUESTIONS_MS),
                r.millis(TOPICS_RETENTION_ANSWERS_MS),
                r.millis(TOPICS_RETENTION_DEAD_LETTERS_MS),
                r.millis(TOPICS_RETENTION_INDEX_UPDATES_MS));

        String generator = r.text(MODELS_GENERATOR);
        String reranker = r.text(MODELS_RERANKER);
        ModelSettings models = new ModelSettings(
                modelSource(r, MODELS_EMBEDDER, r.text(MODELS_EMBEDDER)),
                generator.isBlank() ? Optional.empty() : Optional.of(modelSource(r, MODELS_GENERATOR, generator)),
                deviceSettings(r),
                reranker.isBlank() ? Optional.empty() : Optional.of(modelSource(r, MODELS_RERANKER, reranker)),
                r.integer(QA_RERANK_CANDIDATES),
                hubSettings(r));

        String apiKey = r.text(STORE_QDRANT_API_KEY);
        StoreSettings store = new StoreSettings(
                r.choice(STORE_TYPE, StoreSettings.StoreType::parse, StoreSettings.StoreType.EMBEDDED),
                r.path(STORE_EMBEDDED_DIR),
                r.text(STORE_QDRANT_HOST),
                r.integer(STORE_QDRANT_PORT),
                r.bool(STORE_QDRANT_TLS),
                apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey),
                r.text(STORE_COLLECTION_PREFIX),
                new LuceneOptions(r.integer(STORE_EMBEDDED_SEARCH_CANDIDATES),
                        r.choice(STORE_EMBEDDED_VECTOR_FORMAT, LuceneOptions.VectorFormat::parse,
                                LuceneOptions.VectorFormat.FLOAT32),
                        r.millis(STORE_EMBEDDED_REST_MERGE_AFTER_MS)),
                new CollectionOptions(
                        r.integer(STORE_QDRANT_HNSW_M),
                        r.integer(STORE_QDRANT_HNSW_EF_CONSTRUCT),
                        r.integer(STORE_QDRANT_SEARCH_EF),
                        r.choice(STORE_QDRANT_QUANTIZATION, CollectionOptions.Quantization::parse,
                                CollectionOptions.Quantization.NONE),
                        r.bool(STORE_QDRANT_ON_DISK),
                        r.integer(STORE_QDRANT_SHARDS),
                        r.integer(STORE_QDRANT_REPLICATION_FACTOR)));

        MetricsSettings metrics = new MetricsSettings(r.integer(METRICS_PORT));
        List<CdcSource> cdcSources = CdcSourcesReader.read(r);
        FailureSettings failures = new FailureSettings(
                r.integer(FAILURES_DEAD_LETTER_MAX_BYTES),
                r.integer(FAILURES_QUARANTINE_ATTEMPTS));
        validate(r, kafka, topics, cdcSources);

        String ingestId = r.text(INGEST_APPLICATION_ID);
        String qaId = r.text(QA_APPLICATION_ID);
        if (ingestId.equals(qaId)) {
            r.problem(QA_APPLICATION_ID, "must differ from " + INGEST_APPLICATION_ID
                    + ": each role is its own consumer group");
        }
        int chunkSize = r.integer(INGEST_CHUNK_SIZE_TOKENS);
        Supplier<IngestSettings> ingest = ingestSettings(r, ingestId, chunkSize, kafka, topics, cdcSources);
        Supplier<QaSettings> qa = qaSettings(r, qaId, chunkSize, kafka, topics);
        return () -> new AppConfig(kafka, registry, topics, ingest.get(), qa.get(), models, store, metrics,
                cdcSources, failures);
    }

    /**
     * The ingest role's settings: chunking and batching keys, the topics it reads and writes (the named CDC sources
     * plus one per topic of {@code topics.cdc}, read as Debezium Avro events of the documents table). The collection
     * is left to the wiring, which knows the embedder.
     */
    private static Supplier<IngestSettings> ingestSettings(ConfigReader r, String applicationId, int chunkSize,
                                                           KafkaSettings kafka, TopicSettings topics,
                                                           List<CdcSource> cdcSources) {
        int overlap = r.integer(INGEST_CHUNK_OVERLAP_TOKENS);
        if (overlap >= chunkSize) {
            r.problem(INGEST_CHUNK_OVERLAP_TOKENS, "must be less than " + INGEST_CHUNK_SIZE_TOKENS + "=" + chunkSize);
        } else if (overlap > chunkSize / 2) {
            r.problem(INGEST_CHUNK_OVERLAP_TOKENS, "must be at most half of " + INGEST_CHUNK_SIZE_TOKENS + "="
                    + chunkSize);
        }
        int maxBodyChars = r.integer(INGEST_MAX_BODY_CHARS);
        int batchSize = r.integer(INGEST_BATCH_MAX_SIZE);
        Duration linger = linger(r.millis(INGEST_BATCH_MAX_WAIT_MS));
        int embedTexts = r.integer(INGEST_EMBED_MAX_TEXTS);
        int batchTokens = r.integer(INGEST_BATCH_MAX_TOKENS);
        boolean reuseVectors = r.bool(INGEST_REUSE_VECTORS);
        boolean embedOverlap = r.bool(INGEST_EMBED_OVERLAP);
        if (batchTokens < chunkSize) {
            r.problem(INGEST_BATCH_MAX_TOKENS, "must be at least " + INGEST_CHUNK_SIZE_TOKENS + "=" + chunkSize
                    + ": a batch must hold one chunk");
        }
        List<CdcSource> sources = new ArrayList<>(cdcSources);
        topics.cdcSources().stream()
                .map(topic -> new CdcSource(topic, List.of(topic), CdcFormat.AVRO, CdcFieldMapping.DOCUMENTS_TABLE))
                .forEach(sources::add);
        return () -> new IngestSettings(applicationId, List.of(topics.documents()), sources, topics.indexUpdates(),
                topics.deadLetters(), new ChunkingSettings(chunkSize, overlap),
                new BatchingSettings(batchSize, linger, embedTexts, batchTokens, batchTimeBudget(kafka),
                        embedOverlap),
                maxBodyChars, null, topics.capturedDocuments(), reuseVectors);
    }

    /** The QA role's settings; passages are estimated at the ingest's chunk size for the work budget. */
    private static Supplier<QaSettings> qaSettings(ConfigReader r, String applicationId, int passageTokens,
                                                   KafkaSettings kafka, TopicSettings topics) {
        int defaultTopK = r.integer(QA_TOP_K_DEFAULT);
        int maxTopK = r.integer(QA_TOP_K_MAX);
        if (defaultTopK > maxTopK) {
            r.problem(QA_TOP_K_DEFAULT, "must not exceed " + QA_TOP_K_MAX + "=" + maxTopK);
        }
        int maxQuestionChars = r.integer(QA_QUESTION_MAX_CHARS);
        double scoreThreshold = r.decimal(QA_SCORE_THRESHOLD);
        double temperature = r.decimal(QA_RETRIEVAL_TEMPERATURE);
        RetrievalPlan plan = retrievalPlan(r);
        QaSettings.GenerationMode mode = r.choice(QA_GENERATION_MODE, QaSettings.GenerationMode::fromLabel,
                QaSettings.GenerationMode.RAG_SEQUENCE);
        QaSettings.RagDecoding decoding = r.choice(QA_RAG_DECODING,
                value -> QaSettings.RagDecoding.valueOf(value.toUpperCase(java.util.Locale.ROOT)),
                QaSettings.RagDecoding.THOROUGH);
        int numBeams = r.integer(QA_NUM_BEAMS);
        int maxNewTokens = r.integer(QA_MAX_NEW_TOKENS);
        Duration deadline = r.millis(QA_DEADLINE_MS);
        int batchSize = r.integer(QA_EMBED_BATCH_SIZE);
        int generateBatchSize = r.integer(QA_GENERATE_BATCH_SIZE);
        Duration linger = linger(r.millis(QA_BATCH_MAX_WAIT_MS));
        int batchTokens = r.integer(QA_BATCH_MAX_TOKENS);
        if (batchTokens < passageTokens) {
            r.problem(QA_BATCH_MAX_TOKENS, "must be at least " + INGEST_CHUNK_SIZE_TOKENS + "=" + passageTokens
                    + ": a question with one passage must fit");
        }
        List<String> replyTopics = r.list(QA_REPLY_TOPICS);
        boolean priority = r.bool(QA_PRIORITY);
        for (String reply : replyTopics) {
            String name = reply.endsWith("*") ? reply.substring(0, reply.length() - 1) : reply;
            if (!name.matches(TOPIC_NAME)) {
                r.problem(QA_REPLY_TOPICS, "holds '" + reply + "', which is neither a topic name nor a prefix "
                        + "ending in '*'");
            }
        }
        // the generator's own prefix and BOS id (null, empty) are properties of the model, not configuration
        return () -> new QaSettings(applicationId, topics.questions(), topics.answers(), topics.deadLetters(), mode,
                decoding, defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, temperature, deadline, batchSize,
                linger, generateBatchSize, numBeams, maxNewTokens, "", null, batchTokens, passageTokens,
                batchTimeBudget(kafka), replyTopics, plan, priority);
    }

    /** A zero wait means "at once": the smallest punctuation interval does that. */
    private static Duration linger(Duration configured) {
        return configured.isZero() ? Duration.ofMillis(1) : configured;
    }

    /** Each batch's inference must finish within half the transaction that carries it. */
    private static Duration batchTimeBudget(KafkaSettings kafka) {
        return kafka.transactionTimeout().dividedBy(2);
    }

    /** The Hugging Face hub of {@code models.hub.*}, with huggingface_hub's retry and timeouts. */
    private static HubSettings hubSettings(ConfigReader r) {
        String endpoint = r.text(MODELS_HUB_ENDPOINT);
        java.nio.file.Path cache = r.pathBelowHome(MODELS_HUB_CACHE);
        String token = r.text(MODELS_HUB_TOKEN);
        boolean offline = r.bool(MODELS_HUB_OFFLINE);
        try {
            return HubSettings.of(java.net.URI.create(endpoint), cache).withToken(token).withOffline(offline);
        } catch (IllegalArgumentException e) {
            r.problem(MODELS_HUB_ENDPOINT, "is not an http(s) URL");
            return HubSettings.of(HubSettings.DEFAULT_ENDPOINT, cache);
        }
    }

    private static RetrievalPlan retrievalPlan(ConfigReader r) {
        return new RetrievalPlan(
                r.choice(QA_RETRIEVAL_MODE, RetrievalMode::parse, RetrievalMode.HYBRID),
                r.integer(QA_RETRIEVAL_DENSE_CANDIDATES),
                r.integer(QA_RETRIEVAL_KEYWORD_CANDIDATES),
                r.integer(QA_RETRIEVAL_RRF_K),
                1.0,
                r.decimal(QA_RETRIEVAL_KEYWORD_WEIGHT));
    }

    private static ModelSource modelSource(ConfigReader r, String key, String value) {
        try {
            ModelSource source = ModelSource.parse(value);
            if (source instanceof ModelSource.LocalDirectory local && !Files.isDirectory(local.directory())) {
                r.problem(key, "is neither 'default', an hf:// reference nor an existing directory");
            }
            return source;
        } catch (IllegalArgumentException e) { // includes InvalidPathException
            r.problem(key, e.getMessage());
            return new ModelSource.Bundled();
        }
    }

    /** Device and precision, checked together by the inference module's rules (bf16 refused, fp16 needs a GPU). */
    private static DeviceSettings deviceSettings(ConfigReader r) {
        ComputeDevice device;
        try {
            device = ComputeDevice.parse(r.text(MODELS_DEVICE));
        } catch (IllegalArgumentException e) {
            r.problem(MODELS_DEVICE, "must be one of cpu, cuda, cuda:N");
            device = ComputeDevice.CPU;
        }
        Precision precision;
        try {
            precision = Precision.parse(r.text(MODELS_PRECISION));
        } catch (IllegalArgumentException e) {
            r.problem(MODELS_PRECISION, "must be one of fp32, fp16, bf16");
            return DeviceSettings.CPU_FP32;
        }
        try {
            return new DeviceSettings(device, precision);
        } catch (IllegalArgumentException e) {
            r.problem(MODELS_PRECISION, "cannot be used: " + e.getMessage());
            return DeviceSettings.CPU_FP32;
        }
    }

    /** Where the embedded schema registry keeps its journal. */
    public java.nio.file.Path schemaRegistryDir() {
        return kafka.dataDir().resolve("schema-registry");
    }

    /** Rules that involve more than one key of the topics, Kafka and CDC sections. */
    private static void validate(ConfigReader r, KafkaSettings kafka, TopicSettings topics,
                                 List<CdcSource> cdcSources) {
        Map<String, String> topicKeys = new LinkedHashMap<>();
        topicKeys.put(TOPICS_DOCUMENTS, topics.documents());
        topicKeys.put(TOPICS_QUESTIONS, topics.questions());
        topicKeys.put(TOPICS_ANSWERS, topics.answers());
        topicKeys.put(TOPICS_DEAD_LETTERS, topics.deadLetters());
        topicKeys.put(TOPICS_INDEX_UPDATES, topics.indexUpdates());
        topicKeys.put(TOPICS_CAPTURED_DOCUMENTS, topics.capturedDocuments());
        Map<String, String> keyByTopic = new LinkedHashMap<>();
        topicKeys.forEach((key, topic) -> {
            if (!topic.isBlank() && !topic.matches(TOPIC_NAME)) {
                r.problem(key, "is not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249)");
            }
            String other = keyByTopic.putIfAbsent(topic, key);
            if (other != null && !topic.isBlank()) {
                r.problem(key, "is the same topic as " + other);
            }
        });
        for (String source : topics.cdcSources()) {
            if (!source.matches(TOPIC_NAME)) {
                r.problem(TOPICS_CDC, "holds '" + source + "', which is not a valid Kafka topic name");
            } else if (keyByTopic.containsKey(source)) {
                r.problem(TOPICS_CDC, "holds '" + source + "', already used by " + keyByTopic.get(source));
            }
        }
        for (String source : topics.cdcSources()) {
            keyByTopic.putIfAbsent(source, TOPICS_CDC);
        }
        for (CdcSource source : cdcSources) {
            String key = CDC_TOPICS.replace("<name>", source.name());
            for (String topic : source.topics()) {
                if (!topic.matches(TOPIC_NAME)) {
                    r.problem(key, "holds '" + topic + "', which is not a valid Kafka topic name");
                } else if (keyByTopic.containsKey(topic)) {
                    r.problem(key, "holds '" + topic + "', already used by " + keyByTopic.get(topic));
                } else {
                    keyByTopic.put(topic, key);
                }
            }
            if (source.topicPattern() != null) {
                keyByTopic.forEach((topic, owner) -> {
                    if (source.topicPattern().matcher(topic).matches()) {
                        r.problem(CDC_TOPIC_PATTERN.replace("<name>", source.name()), "matches '" + topic
                                + "', already used by " + owner);
                    }
                });
            }
            if (topics.cdcSources().contains(source.name())) {
                r.problem(key, "CDC source '" + source.name() + "' has the name of a topic in " + TOPICS_CDC
                        + "; rename the source");
            }
        }
        validateTimeouts(r, kafka);
        for (String owned : OWNED_CLIENT_KEYS) {
            if (kafka.clientProperties().containsKey(owned)) {
                r.problem("kafka.client." + owned, "is not allowed; set " + KAFKA_BOOTSTRAP_SERVERS);
            }
        }
        for (String owned : OWNED_STREAMS_KEYS) {
            if (kafka.streamsProperties().containsKey(owned)) {
                r.problem("kafka.streams." + owned, "is set by the application and cannot be overridden"
                        + (owned.contains("transaction.timeout") ? "; set " + KAFKA_TRANSACTION_TIMEOUT_MS
                        : owned.contains("max.poll.interval") ? "; set " + KAFKA_MAX_POLL_INTERVAL_MS : ""));
            }
        }
    }

    /**
     * A batch's inference runs inside an open exactly-once transaction and between two polls: the transaction timeout
     * bounds it (each batch is cut to fit half of it), the poll interval must not bound it tighter, and brokers refuse
     * transactions longer than their maximum. One problem per broken rule, all reported together.
     */
    private static void validateTimeouts(ConfigReader r, KafkaSettings kafka) {
        long transaction = kafka.transactionTimeout().toMillis();
        long poll = kafka.maxPollInterval().toMillis();
        if (poll < transaction) {
            r.problem(KAFKA_MAX_POLL_INTERVAL_MS, "must be at least " + KAFKA_TRANSACTION_TIMEOUT_MS + "="
                    + transaction + ": a batch may take up to half the transaction timeout between two polls, and a "
                    + "thread that does not poll within " + KAFKA_MAX_POLL_INTERVAL_MS + " is fenced by a rebalance");
        }
        if (transaction > BROKER_TRANSACTION_MAX_TIMEOUT_MS) {
            r.problem(KAFKA_TRANSACTION_TIMEOUT_MS, "is above the brokers' default transaction.max.timeout.ms ("
                    + BROKER_TRANSACTION_MAX_TIMEOUT_MS + "); producers would be refused");
        }
        String commitInterval = kafka.streamsProperties().get("commit.interval.ms");
        if (commitInterval != null && commitInterval.matches("\\d{1,18}")
                && Long.parseLong(commitInterval) * 2 >= transaction) {
            r.problem(KAFKA_TRANSACTION_TIMEOUT_MS, "must be more than twice kafka.streams.commit.interval.ms ("
                    + commitInterval + "): a transaction stays open from one commit to the next");
        }
    }
}
