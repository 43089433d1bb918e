package io.streamrag.app.config;

import static io.streamrag.app.config.ValidValues.atLeast;
import static io.streamrag.app.config.ValidValues.between;
import static io.streamrag.app.config.ValidValues.bool;
import static io.streamrag.app.config.ValidValues.decimal;
import static io.streamrag.app.config.ValidValues.nonBlank;
import static io.streamrag.app.config.ValidValues.oneOf;
import static io.streamrag.app.config.ValidValues.text;

import io.streamrag.inference.checkpoint.hub.HubSettings;
import io.streamrag.store.RetrievalPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the application, with its default and meaning, in one place. {@link AppConfig} reads exactly these
 * keys; {@code CONFIG.md} is rendered from this list ({@link ConfigDocs}); unknown keys are rejected at start-up.
 */
public final class ConfigCatalog {

    // kafka
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String KAFKA_DATA_DIR = "kafka.data.dir";
    public static final String KAFKA_EMBEDDED_PORT = "kafka.embedded.port";
    public static final String KAFKA_CLIENT = "kafka.client.*";
    public static final String KAFKA_STREAMS = "kafka.streams.*";
    public static final String KAFKA_ADMIN_TIMEOUT_MS = "kafka.admin.timeout.ms";
    public static final String KAFKA_SHUTDOWN_TIMEOUT_MS = "kafka.shutdown.timeout.ms";
    public static final String KAFKA_TRANSACTION_TIMEOUT_MS = "kafka.transaction.timeout.ms";
    public static final String KAFKA_MAX_POLL_INTERVAL_MS = "kafka.max.poll.interval.ms";
    // schema registry
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_EMBEDDED_PORT = "schema.registry.embedded.port";
    public static final String SCHEMA_REGISTRY_PROPERTIES = "schema.registry.properties.*";
    // topics
    public static final String TOPICS_DOCUMENTS = "topics.documents";
    public static final String TOPICS_CDC = "topics.cdc";
    public static final String TOPICS_CAPTURED_DOCUMENTS = "topics.captured.documents";
    public static final String TOPICS_QUESTIONS = "topics.questions";
    public static final String TOPICS_ANSWERS = "topics.answers";
    public static final String TOPICS_DEAD_LETTERS = "topics.dead.letters";
    public static final String TOPICS_INDEX_UPDATES = "topics.index.updates";
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "topics.replication.factor";
    public static final String TOPICS_CREATE = "topics.create";
    public static final String TOPICS_RETENTION_QUESTIONS_MS = "topics.retention.questions.ms";
    public static final String TOPICS_RETENTION_ANSWERS_MS = "topics.retention.answers.ms";
    public static final String TOPICS_RETENTION_DEAD_LETTERS_MS = "topics.retention.dead.letters.ms";
    public static final String TOPICS_RETENTION_INDEX_UPDATES_MS = "topics.retention.index.updates.ms";
    // ingest
    public static final String INGEST_APPLICATION_ID = "ingest.application.id";
    public static final String INGEST_CHUNK_SIZE_TOKENS = "ingest.chunk.size.tokens";
    public static final String INGEST_CHUNK_OVERLAP_TOKENS = "ingest.chunk.overlap.tokens";
    public static final String INGEST_MAX_BODY_CHARS = "ingest.max.body.chars";
    public static final String INGEST_BATCH_MAX_SIZE = "ingest.batch.max.size";
    public static final String INGEST_BATCH_MAX_WAIT_MS = "ingest.batch.max.wait.ms";
    public static final String INGEST_BATCH_MAX_TOKENS = "ingest.batch.max.tokens";
    public static final String INGEST_EMBED_MAX_TEXTS = "ingest.embed.max.texts";
    public static final String INGEST_REUSE_VECTORS = "ingest.reuse.vectors";
    public static final String INGEST_EMBED_OVERLAP = "ingest.embed.overlap";
    // cdc sources, one group of keys per named source
    public static final String CDC_SOURCES_PREFIX = "cdc.sources.";
    public static final String CDC_TOPICS = "cdc.sources.<name>.topics";
    public static final String CDC_TOPIC_PATTERN = "cdc.sources.<name>.topic.pattern";
    public static final String CDC_FORMAT = "cdc.sources.<name>.format";
    public static final String CDC_ENVELOPE = "cdc.sources.<name>.envelope";
    public static final String CDC_ID_COLUMNS = "cdc.sources.<name>.id.columns";
    public static final String CDC_ID_SEPARATOR = "cdc.sources.<name>.id.separator";
    public static final String CDC_ID_PREFIX = "cdc.sources.<name>.id.prefix";
    public static final String CDC_TITLE_COLUMN = "cdc.sources.<name>.title.column";
    public static final String CDC_BODY_COLUMN = "cdc.sources.<name>.body.column";
    public static final String CDC_BODY_TEMPLATE = "cdc.sources.<name>.body.template";
    public static final String CDC_TENANT_COLUMN = "cdc.sources.<name>.tenant.column";
    public static final String CDC_METADATA_COLUMN = "cdc.sources.<name>.metadata.column";
    public static final String CDC_METADATA_COLUMNS = "cdc.sources.<name>.metadata.columns";
    public static final String CDC_VERSION_COLUMN = "cdc.sources.<name>.version.column";
    public static final String CDC_SOFT_DELETE_COLUMN = "cdc.sources.<name>.soft.delete.column";
    public static final String CDC_SOFT_DELETE_VALUE = "cdc.sources.<name>.soft.delete.value";
    public static final String CDC_TRUNCATE = "cdc.sources.<name>.truncate";
    // qa
    public static final String QA_APPLICATION_ID = "qa.application.id";
    public static final String QA_TOP_K_DEFAULT = "qa.top.k.default";
    public static final String QA_TOP_K_MAX = "qa.top.k.max";
    public static final String QA_QUESTION_MAX_CHARS = "qa.question.max.chars";
    public static final String QA_SCORE_THRESHOLD = "qa.score.threshold";
    public static final String QA_RETRIEVAL_MODE = "qa.retrieval.mode";
    public static final String QA_RETRIEVAL_DENSE_CANDIDATES = "qa.retrieval.dense.candidates";
    public static final String QA_RETRIEVAL_KEYWORD_CANDIDATES = "qa.retrieval.keyword.candidates";
    public static final String QA_RETRIEVAL_RRF_K = "qa.retrieval.rrf.k";
    public static final String QA_RETRIEVAL_KEYWORD_WEIGHT = "qa.retrieval.keyword.weight";
    public static final String QA_RETRIEVAL_TEMPERATURE = "qa.retrieval.temperature";
    public static final String QA_GENERATION_MODE = "qa.generation.mode";
    public static final String QA_RAG_DECODING = "qa.rag.decoding";
    public static final String QA_NUM_BEAMS = "qa.num.beams";
    public static final String QA_MAX_NEW_TOKENS = "qa.max.new.tokens";
    public static final String QA_DEADLINE_MS = "qa.deadline.ms";
    public static final String QA_EMBED_BATCH_SIZE = "qa.embed.batch.size";
    public static final String QA_GENERATE_BATCH_SIZE = "qa.generate.batch.size";
    public static final String QA_BATCH_MAX_WAIT_MS = "qa.batch.max.wait.ms";
    public static final String QA_BATCH_MAX_TOKENS = "qa.batch.max.tokens";
    public static final String QA_REPLY_TOPICS = "qa.reply.topics";
    public static final String QA_PRIORITY = "qa.priority";
    // failures
    public static final String FAILURES_DEAD_LETTER_MAX_BYTES = "failures.dead.letter.max.bytes";
    public static final String FAILURES_QUARANTINE_ATTEMPTS = "failures.quarantine.attempts";
    // models
    public static final String MODELS_EMBEDDER = "models.embedder";
    public static final String MODELS_GENERATOR = "models.generator";
    public static final String MODELS_RERANKER = "models.reranker";
    public static final String QA_RERANK_CANDIDATES = "qa.rerank.candidates";
    public static final String MODELS_DEVICE = "models.device";
    public static final String MODELS_PRECISION = "models.precision";
    public static final String MODELS_HUB_ENDPOINT = "models.hub.endpoint";
    public static final String MODELS_HUB_CACHE = "models.hub.cache";
    public static final String MODELS_HUB_TOKEN = "models.hub.token";
    public static final String MODELS_HUB_OFFLINE = "models.hub.offline";
    // store
    public static final String STORE_TYPE = "store.type";
    public static final String STORE_EMBEDDED_DIR = "store.embedded.dir";
    public static final String STORE_QDRANT_HOST = "store.qdrant.host";
    public static final String STORE_QDRANT_PORT = "store.qdrant.port";
    public static final String STORE_QDRANT_TLS = "store.qdrant.tls";
    public static final String STORE_QDRANT_API_KEY = "store.qdrant.api.key";
    public static final String STORE_COLLECTION_PREFIX = "store.collection.prefix";
    public static final String STORE_EMBEDDED_VECTOR_FORMAT = "store.embedded.vector.format";
    public static final String STORE_EMBEDDED_SEARCH_CANDIDATES = "store.embedded.search.candidates";
    public static final String STORE_EMBEDDED_REST_MERGE_AFTER_MS = "store.embedded.rest.merge.after.ms";
    public static final String STORE_QDRANT_HNSW_M = "store.qdrant.hnsw.m";
    public static final String STORE_QDRANT_HNSW_EF_CONSTRUCT = "store.qdrant.hnsw.ef.construct";
    public static final String STORE_QDRANT_SEARCH_EF = "store.qdrant.search.ef";
    public static final String STORE_QDRANT_QUANTIZATION = "store.qdrant.quantization";
    public static final String STORE_QDRANT_ON_DISK = "store.qdrant.on.disk";
    public static final String STORE_QDRANT_SHARDS = "store.qdrant.shards";
    public static final String STORE_QDRANT_REPLICATION_FACTOR = "store.qdrant.replication.factor";
    // metrics
    public static final String METRICS_PORT = "metrics.port";

    private static final String HUB_ENDPOINT = HubSettings.DEFAULT_ENDPOINT.toString();

    private static final List<ConfigKey> KEYS = List.of(
            key(KAFKA_BOOTSTRAP_SERVERS, "", text(),
                    "Kafka brokers, `host:port,...`. Empty: start an embedded single-node broker in this process "
                            + "(then run all roles in that process; roles in separate processes need a shared cluster)."),
            key(KAFKA_DATA_DIR, "./data", nonBlank(),
                    "Local data: the embedded broker's log in `<dir>/kafka`, the embedded schema registry's journal in "
                            + "`<dir>/schema-registry`, Kafka Streams state in `<dir>/streams`."),
            key(KAFKA_EMBEDDED_PORT, "9092", between(0, 65535),
                    "Client port of the embedded broker (0: any free port). Other commands reach a running app here."),
            key(KAFKA_CLIENT, "", text(),
                    "Passed to every Kafka client (Streams, producers, consumers, admin) without the prefix, e.g. "
                            + "`kafka.client.security.protocol=SASL_SSL`, `kafka.client.sasl.mechanism`, "
                            + "`kafka.client.sasl.jaas.config`, `kafka.client.ssl.truststore.location`."),
            key(KAFKA_STREAMS, "", text(),
                    "Passed to the Kafka Streams instances only, e.g. `kafka.streams.num.stream.threads=2`. "
                            + "Cannot override `processing.guarantee` (always `exactly_once_v2`)."),
            key(KAFKA_ADMIN_TIMEOUT_MS, "30000", atLeast(1), "How long topic creation and other admin calls may take."),
            key(KAFKA_SHUTDOWN_TIMEOUT_MS, "30000", atLeast(0),
                    "How long each Streams instance, then the embedded broker, may take to stop on SIGTERM."),
            key(KAFKA_TRANSACTION_TIMEOUT_MS, "60000", atLeast(1000),
                    "Exactly-once transaction timeout of the roles' producers (Kafka Streams' own default is 10 s). "
                            + "A batch's inference runs inside the open transaction: each batch is cut to fit half of "
                            + "it (see `*.batch.max.tokens`). At most `kafka.max.poll.interval.ms` and the brokers' "
                            + "`transaction.max.timeout.ms` (15 min by default)."),
            key(KAFKA_MAX_POLL_INTERVAL_MS, "300000", atLeast(1000),
                    "`max.poll.interval.ms` of the roles' consumers: a stream thread busier than this between polls "
                            + "leaves its group. At least `kafka.transaction.timeout.ms`."),

            key(SCHEMA_REGISTRY_URL, "", text(),
                    "Schema Registry base URL (Confluent API; a path such as Apicurio's `/apis/ccompat/v7` is kept). "
                            + "Empty: run an embedded registry, journaled in `<kafka.data.dir>/schema-registry`. "
                            + "`mock://<scope>` keeps schemas in this JVM only (tests)."),
            key(SCHEMA_REGISTRY_EMBEDDED_PORT, "8081", between(0, 65535),
                    "Port of the embedded registry on 127.0.0.1 (0: any free port). Other commands reach a running "
                            + "app's registry here."),
            key(SCHEMA_REGISTRY_PROPERTIES, "", text(),
                    "Passed to the Avro serdes without the prefix, with Confluent's names, e.g. "
                            + "`schema.registry.properties.basic.auth.credentials.source=USER_INFO`, "
                            + "`schema.registry.properties.basic.auth.user.info=user:secret`, "
                            + "`schema.registry.properties.bearer.auth.token`."),

            key(TOPICS_DOCUMENTS, "streamrag.documents", nonBlank(),
                    "Document changes (`DocumentChange`), keyed by document id; compacted."),
            key(TOPICS_CDC, "", text(),
                    "Comma-separated Debezium change topics of tables shaped like the sample `documents` table "
                            + "(Avro; columns `id`, `title`, `body`, `tenant`, `metadata`, `updated_at`, "
                            + "`deleted`). Any other table: a source under `cdc.sources`."),
            key(TOPICS_CAPTURED_DOCUMENTS, "streamrag.captured-documents", nonBlank(),
                    "Compacted: the ingest writes every CDC change it takes here as a `DocumentChange` (a tombstone "
                            + "for a delete), in the same transaction; `reindex` reads it with `topics.documents`, so "
                            + "CDC documents need no new database snapshot."),
            key(TOPICS_QUESTIONS, "streamrag.questions", nonBlank(), "Questions (`Question`), keyed by question id."),
            key(TOPICS_ANSWERS, "streamrag.answers", nonBlank(), "Answers (`Answer`), keyed by question id."),
            key(TOPICS_DEAD_LETTERS, "streamrag.dead-letters", nonBlank(),
                    "Records that could not be processed (`DeadLetter`), with their coordinates and the reason."),
            key(TOPICS_INDEX_UPDATES, "streamrag.index-updates", nonBlank(),
                    "What the ingest role wrote to the vector store (`IndexUpdate`), one event per document change."),
            key(TOPICS_PARTITIONS, "3", between(1, 10_000), "Partitions of the topics the application creates."),
            key(TOPICS_REPLICATION_FACTOR, "-1", between(-1, Short.MAX_VALUE),
                    "Replication factor of the topics the application creates; -1 takes the broker's default."),
            key(TOPICS_CREATE, "true", bool(),
                    "Create missing topics at start-up (existing ones are never changed). Off when an operator "
                            + "manages topics."),
            key(TOPICS_RETENTION_QUESTIONS_MS, "86400000", atLeast(-1), "Retention of the questions topic (1 day)."),
            key(TOPICS_RETENTION_ANSWERS_MS, "604800000", atLeast(-1), "Retention of the answers topic (7 days)."),
            key(TOPICS_RETENTION_DEAD_LETTERS_MS, "1209600000", atLeast(-1), "Retention of the dead-letter topic (14 days)."),
            key(TOPICS_RETENTION_INDEX_UPDATES_MS, "259200000", atLeast(-1), "Retention of the index-updates topic (3 days)."),

            key(INGEST_APPLICATION_ID, "streamrag-ingest", nonBlank(),
                    "Kafka Streams `application.id` of the ingest role (consumer group, internal topic prefix)."),
            key(INGEST_CHUNK_SIZE_TOKENS, "256", between(8, 8192), "Chunk length in embedder tokens."),
            key(INGEST_CHUNK_OVERLAP_TOKENS, "32", between(0, 8192), "Tokens shared by consecutive chunks; less than the chunk size."),
            key(INGEST_MAX_BODY_CHARS, "1000000", between(1, Integer.MAX_VALUE),
                    "Longer document bodies are dead-lettered instead of indexed."),
            key(INGEST_BATCH_MAX_SIZE, "32", between(1, 4096), "Document changes flushed together: their chunks are embedded in one call and written in one store batch."),
            key(INGEST_BATCH_MAX_WAIT_MS, "50", atLeast(0), "Linger: how long the oldest pending change waits for a batch to fill before it is flushed anyway."),
            key(INGEST_BATCH_MAX_TOKENS, "16384", between(1, Integer.MAX_VALUE),
                    "Work budget of one ingest batch in embedder tokens (the chunks' tokens): a batch is cut before "
                            + "it exceeds it, and further when the measured embedding speed says it would not finish "
                            + "in half of `kafka.transaction.timeout.ms`. At least `ingest.chunk.size.tokens`."),
            key(INGEST_EMBED_MAX_TEXTS, "256", between(1, 65_536),
                    "Chunk texts per embedder call; the chunks of a larger batch are embedded in slices of this many."),
            key(INGEST_EMBED_OVERLAP, "true", bool(),
                    "Embed the next batch while the previous one is written to the vector store, its index updates "
                            + "emitted and the offsets committed (off the stream thread, one batch ahead). The store "
                            + "writes, updates and offsets still commit together; a batch embedded ahead that changed "
                            + "before its turn is embedded again. Off: each batch is embedded on the stream thread "
                            + "when it is flushed."),
            key(INGEST_REUSE_VECTORS, "true", bool(),
                    "On an update, keep the stored vector of every chunk whose embedding text (title and heading "
                            + "prefix included) and embedding model are unchanged, and embed only the rest; an update "
                            + "that changes no embedding text (metadata, tenant) embeds nothing. Off: every chunk of "
                            + "every change is embedded."),

            key(CDC_TOPICS, "", text(),
                    "CDC source `<name>` (lower-case letters and digits; in YAML an item of the list `cdc.sources` "
                            + "with `name: <name>`): comma-separated Debezium topics of one table. This or "
                            + "`topic.pattern`."),
            key(CDC_TOPIC_PATTERN, "", text(),
                    "Regular expression over topic names, instead of `topics` (e.g. `shop\\.public\\..*`)."),
            key(CDC_FORMAT, "json", text(),
                    "How Kafka Connect wrote keys and values: `json` (`JsonConverter`, with or without schemas) or "
                            + "`avro` (Confluent wire format, schemas from `schema.registry.url`)."),
            key(CDC_ENVELOPE, "auto", text(),
                    "`full` (Debezium change events), `flattened` (rows from `ExtractNewRecordState`) or `auto` "
                            + "(decided per event)."),
            key(CDC_ID_COLUMNS, "", text(),
                    "Required. The primary-key column(s); a composite key's values are joined in this order with "
                            + "`id.separator` into one document id."),
            key(CDC_ID_SEPARATOR, ":", text(), "Between the values of a composite key in the document id."),
            key(CDC_ID_PREFIX, "", text(),
                    "Put in front of every document id (e.g. `articles:`), to keep several tables' ids apart."),
            key(CDC_TITLE_COLUMN, "", text(), "Column holding the title (embedded in front of every chunk); empty: none."),
            key(CDC_BODY_COLUMN, "", text(), "Column holding the text to chunk and embed. This or `body.template`."),
            key(CDC_BODY_TEMPLATE, "", text(),
                    "The body made of several columns, e.g. `{headline}\\n\\n{content}` (`\\n` is a line break; "
                            + "a null column adds nothing)."),
            key(CDC_TENANT_COLUMN, "", text(), "Column holding the document's tenant; empty: none."),
            key(CDC_METADATA_COLUMN, "", text(),
                    "A json/jsonb column whose top-level fields become metadata; empty: none."),
            key(CDC_METADATA_COLUMNS, "", text(), "Comma-separated columns copied into metadata under their own names."),
            key(CDC_VERSION_COLUMN, "", text(),
                    "Strictly increasing row version or updated-at column, used when events carry no LSN or binlog "
                            + "position (numbers as they are, ISO-8601 timestamps as epoch µs)."),
            key(CDC_SOFT_DELETE_COLUMN, "", text(), "Column that marks a row deleted (its document is removed)."),
            key(CDC_SOFT_DELETE_VALUE, "", text(),
                    "The `soft.delete.column` value (as text) that means deleted; empty: any true value "
                            + "(`true`, `t`, `1`, `yes`, a non-zero number)."),
            key(CDC_TRUNCATE, "delete", text(),
                    "A Debezium truncate (`op = t`): `delete` removes every document of the source (single-partition "
                            + "topics; Debezium sends a truncate to one partition), `dead-letter` leaves them and "
                            + "dead-letters the event."),

            key(QA_APPLICATION_ID, "streamrag-qa", nonBlank(), "Kafka Streams `application.id` of the QA role."),
            key(QA_TOP_K_DEFAULT, "4", between(1, 1000), "Passages retrieved when a question does not say."),
            key(QA_TOP_K_MAX, "20", between(1, 1000), "Upper bound on a question's `topK`."),
            key(QA_QUESTION_MAX_CHARS, "2000", between(1, 1_000_000),
                    "Longer questions are answered `INVALID` (and dead-lettered)."),
            key(QA_SCORE_THRESHOLD, "0.3", decimal(-1.0, 1.0),
                    "A question whose best passage's dense cosine is below this gets `NO_CONTEXT` (its passages are kept "
                            + "otherwise: under hybrid the keyword leg finds right passages with a low cosine). "
                            + "0.3 was calibrated for the default embedder on SQuAD v2 dev articles "
                            + "(`ExtractiveAnswerBench`, docs/benchmarks.md): 98 % of answerable questions keep their "
                            + "best passage, 84 % of questions about an absent topic get `NO_CONTEXT`. "
                            + "Recalibrate for another embedder; 0 turns it off."),
            key(QA_RETRIEVAL_MODE, "hybrid", oneOf("hybrid", "dense", "keyword"),
                    "`hybrid`: dense (embedding) and keyword (BM25 over title and passage) search, fused by "
                            + "reciprocal rank; `dense` or `keyword`: one leg alone. Filters apply inside every leg."),
            key(QA_RETRIEVAL_DENSE_CANDIDATES, String.valueOf(RetrievalPlan.DEFAULT_CANDIDATES), between(1, 10_000),
                    "Passages the dense leg hands to fusion (at least the question's top-k)."),
            key(QA_RETRIEVAL_KEYWORD_CANDIDATES, String.valueOf(RetrievalPlan.DEFAULT_CANDIDATES), between(1, 10_000),
                    "Passages the keyword leg hands to fusion (at least the question's top-k)."),
            key(QA_RETRIEVAL_RRF_K, String.valueOf(RetrievalPlan.DEFAULT_RRF_K), between(1, 100_000),
                    "Reciprocal-rank constant k: a passage at 0-based position p of a leg of weight w scores "
                            + "1 / ((p + 1) / w + k - 1), summed over the legs (Qdrant's RRF)."),
            key(QA_RETRIEVAL_KEYWORD_WEIGHT, "1.0", decimal(0.01, 100.0),
                    "RRF weight w of the keyword leg (the dense leg's is 1)."),
            key(QA_RETRIEVAL_TEMPERATURE, "1.0", decimal(0.001, 1000.0),
                    "The generator weighs passages by p(d|x) = softmax(score / temperature) when it marginalises "
                            + "over them; 1 is the RAG paper's plain softmax."),
            key(QA_GENERATION_MODE, "rag-sequence", oneOf("rag-sequence", "rag-token", "concat"),
                    "How the generator uses passages: `rag-sequence` (generate per passage, marginalise), "
                            + "`rag-token` (marginalise per token) or `concat` (one input with all passages)."),
            key(QA_RAG_DECODING, "thorough", oneOf("thorough", "fast"),
                    "`rag-sequence` only: `thorough` scores every candidate answer under every passage with a forced "
                            + "pass (Hugging Face's `RagSequenceForGeneration`); `fast` uses the beam search's own "
                            + "scores, a candidate not generated from a passage counting 0 there."),
            key(QA_NUM_BEAMS, "4", between(1, 64), "Beam width of generation (1: greedy)."),
            key(QA_MAX_NEW_TOKENS, "64", between(1, 4096), "Longest generated answer, in tokens."),
            key(QA_DEADLINE_MS, "30000", atLeast(1),
                    "Answer within this long of `requestedAt` or publish status TIMEOUT; a question may ask for less."),
            key(QA_EMBED_BATCH_SIZE, "16", between(1, 4096), "Questions embedded together in one batch."),
            key(QA_GENERATE_BATCH_SIZE, "4", between(1, 1024), "Most questions of a batch whose answers the generator "
                    + "decodes together: a larger batch is generated for in slices of this many (bounds the "
                    + "generator's memory)."),
            key(QA_BATCH_MAX_WAIT_MS, "20", atLeast(0), "How long a partial QA batch waits for more questions."),
            key(QA_BATCH_MAX_TOKENS, "16384", between(1, Integer.MAX_VALUE),
                    "Work budget of one QA batch in tokens, a question counting its own tokens plus top-k passages "
                            + "of `ingest.chunk.size.tokens`: a batch is cut before it exceeds it, and further when the "
                            + "measured speed says it would not finish in half of `kafka.transaction.timeout.ms`."),
            key(QA_PRIORITY, "true", bool(),
                    "Questions go first on the embedder the QA and ingest roles share: a question's texts wait behind "
                            + "at most the one indexing batch already running (indexing batches are cut to about "
                            + "50 ms of model time). `false`: questions queue behind indexing work in arrival order."),
            key(QA_REPLY_TOPICS, "", text(),
                    "Comma-separated topics a question's `replyTo` may name; an entry ending in `*` is a prefix. "
                            + "Empty: the answers topic and topics whose names start with it. Any other `replyTo`, or "
                            + "one that does not exist, gets an INVALID answer on the answers topic and a dead letter."),

            key(FAILURES_DEAD_LETTER_MAX_BYTES, "262144", between(1024, 64 * 1024 * 1024),
                    "A dead letter keeps the failed record's key and value up to this many bytes each; beyond it the "
                            + "head, the original size and its SHA-256 (so the dead letter itself can be written)."),
            key(FAILURES_QUARANTINE_ATTEMPTS, "3", between(1, 1000),
                    "A record that failed this many times for a reason of its own (the same topic, partition and "
                            + "offset, also across restarts; not an outage of the store or broker) goes to the "
                            + "dead-letter topic and the stream moves on."),

            key(MODELS_EMBEDDER, "default", nonBlank(),
                    "`default` (all-MiniLM-L6-v2 bundled), a local directory in Hugging Face layout, or "
                            + "`hf://org/name[@revision]` (fetched into `models.hub.cache`)."),
            key(MODELS_GENERATOR, "", text(),
                    "BART-style generator: a local directory or `hf://org/name[@revision]`. Empty: extractive "
                            + "answers (the best passage), no generation."),
            key(MODELS_RERANKER, "", text(),
                    "Optional cross-encoder reranker: a `BertForSequenceClassification` checkpoint (e.g. an MS MARCO "
                            + "MiniLM cross-encoder), a local directory or `hf://org/name[@revision]`. Empty: off."),
            key(QA_RERANK_CANDIDATES, "20", between(1, 1000),
                    "With a reranker: retrieved passages scored as (question, passage) pairs in one batch; the best "
                            + "top-k of them are kept."),
            key(MODELS_DEVICE, "cpu", text(), "`cpu` or `cuda:N` (`cuda` means `cuda:0`)."),
            key(MODELS_PRECISION, "fp32", text(),
                    "Compute precision: `fp32`, or `fp16` on a GPU. bf16 checkpoints load (widened to fp32); bf16 "
                            + "compute is refused (DJL's PyTorch JNI has no bf16)."),
            key(MODELS_HUB_ENDPOINT, HUB_ENDPOINT, nonBlank(),
                    "Hugging Face hub that `hf://` models are fetched from (a mirror, or a private hub).",
                    "HF_ENDPOINT"),
            key(MODELS_HUB_CACHE, "~/.cache/huggingface/hub", nonBlank(),
                    "Hugging Face cache (`models--org--name` folders), shared with Python's `huggingface_hub`.",
                    "HF_HUB_CACHE", "HF_HOME/hub", "XDG_CACHE_HOME/huggingface/hub"),
            key(MODELS_HUB_TOKEN, "", text(), "Token sent to the hub, for gated or private models.", "HF_TOKEN"),
            key(MODELS_HUB_OFFLINE, "false", bool(),
                    "Use the cache only, never the network (`HF_HUB_OFFLINE` also takes `1`, `yes`, `on`).",
                    "HF_HUB_OFFLINE"),

            key(STORE_TYPE, "embedded", oneOf("embedded", "qdrant"), "Vector store: `embedded` (Lucene, in this process) or `qdrant`."),
            key(STORE_EMBEDDED_DIR, "./data/store", nonBlank(), "Directory of the embedded vector store."),
            key(STORE_EMBEDDED_VECTOR_FORMAT, "float32", oneOf("float32", "int8"),
                    "How the embedded HNSW graph scores vectors: `float32`, or `int8` (scalar-quantised: a quarter "
                            + "of the vector memory per search, a little recall lost; see docs/benchmarks.md)."),
            key(STORE_EMBEDDED_SEARCH_CANDIDATES, "100", between(1, 10_000),
                    "HNSW beam (ef) of an embedded dense search, at least the leg's depth: more is better recall, "
                            + "slower queries."),
            key(STORE_EMBEDDED_REST_MERGE_AFTER_MS, "60000", atLeast(0),
                    "After this long without writes the embedded index is merged down to one or two segments, so a "
                            + "query walks one or two HNSW graphs instead of a dozen (small segments into one, and "
                            + "into the largest once they reach half its size); 0 = never (tiered merges only)."),
            key(STORE_QDRANT_HOST, "localhost", nonBlank(), "Qdrant host (gRPC)."),
            key(STORE_QDRANT_PORT, "6334", between(1, 65535), "Qdrant gRPC port."),
            key(STORE_QDRANT_TLS, "false", bool(), "Connect to Qdrant over TLS."),
            key(STORE_QDRANT_API_KEY, "", text(), "Qdrant API key (sent as the `api-key` header); empty for none."),
            key(STORE_QDRANT_HNSW_M, "0", between(0, 1024),
                    "New Qdrant collections: HNSW edges per node (`hnsw_config.m`); 0 = the server's default (16)."),
            key(STORE_QDRANT_HNSW_EF_CONSTRUCT, "0", between(0, 100_000),
                    "New Qdrant collections: HNSW build beam (`ef_construct`); 0 = the server's default (100)."),
            key(STORE_QDRANT_SEARCH_EF, "0", between(0, 100_000), "Qdrant search beam (`hnsw_ef`) of the dense leg; 0 = the server's choice."),
            key(STORE_QDRANT_QUANTIZATION, "none", oneOf("none", "int8"),
                    "New Qdrant collections: `none` or `int8` (scalar quantisation kept in RAM, rescored by Qdrant)."),
            key(STORE_QDRANT_ON_DISK, "false", bool(),
                    "New Qdrant collections: keep dense vectors and the HNSW graph on disk (memory-mapped)."),
            key(STORE_QDRANT_SHARDS, "0", between(0, 10_000), "New Qdrant collections: `shard_number`; 0 = the server's default."),
            key(STORE_QDRANT_REPLICATION_FACTOR, "0", between(0, 100),
                    "New Qdrant collections: `replication_factor` (a cluster); 0 = the server's default."),
            key(STORE_COLLECTION_PREFIX, "streamrag", nonBlank(),
                    "Prefix of the store's collection names (one collection per embedder)."),

            key(METRICS_PORT, "9404", between(-1, 65535),
                    "Port of `/metrics` (Prometheus) and the probes `/health/live`, `/health/ready`; 0 picks a free "
                            + "port, -1 turns them off."));

    private static final Map<String, ConfigKey> BY_NAME = index(KEYS);

    private ConfigCatalog() {
    }

    /** Every key, in documentation order. */
    public static List<ConfigKey> keys() {
        return KEYS;
    }

    /**
     * The key that governs {@code name}: the key itself, the named-list key it is one item's setting of, or the
     * pass-through prefix it falls under.
     */
    public static Optional<ConfigKey> find(String name) {
        ConfigKey exact = BY_NAME.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        Optional<ConfigKey> named = KEYS.stream().filter(key -> key.matchesNamed(name)).findFirst();
        if (named.isPresent()) {
            return named;
        }
        return KEYS.stream()
                .filter(ConfigKey::isPrefix)
                .filter(key -> name.startsWith(key.prefix()) && name.length() > key.prefix().length())
                .findFirst();
    }

    /** Defaults of the plain keys (neither prefixes nor settings of named items). */
    static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (ConfigKey key : KEYS) {
            if (!key.isPrefix() && !key.isNamed()) {
                defaults.put(key.name(), key.defaultValue());
            }
        }
        return defaults;
    }

    private static ConfigKey key(String name, String defaultValue, ValidValues valid, String meaning,
                                 String... defaultFromEnvironment) {
        return new ConfigKey(name, defaultValue, valid, meaning, List.of(defaultFromEnvironment));
    }

    private static Map<String, ConfigKey> index(List<ConfigKey> keys) {
        Map<String, ConfigKey> byName = new LinkedHashMap<>();
        for (ConfigKey key : keys) {
            if (byName.put(key.name(), key) != null) {
                throw new IllegalStateException("Config key listed twice: " + key.name());
            }
        }
        return byName;
    }
}
