package io.streamrag.serde;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The serde's settings, under the keys Confluent's Avro serdes read, validated when the serde is configured. */
public record AvroSerdeConfig(
        RegistryClientConfig registry,
        boolean autoRegisterSchemas,
        boolean useLatestVersion,
        Optional<Duration> latestCacheTtl,
        SubjectNameStrategy keySubjectNameStrategy,
        SubjectNameStrategy valueSubjectNameStrategy,
        boolean specificAvroReader) {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    public static final ConfigDef DEFINITION = RegistryClientConfig.define(new ConfigDef())
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Register the record's schema under its subject on first use; false: look its id up.")
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Write with the subject's latest registered schema (the record must be readable by it).")
            .define(LATEST_CACHE_TTL_SEC, Type.LONG, -1L, Importance.LOW,
                    "How long the latest version is cached; -1 keeps it for the serde's lifetime.")
            .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, SubjectNameStrategy.TOPIC_NAME.simpleName(), Importance.MEDIUM,
                    "TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy for keys.")
            .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, SubjectNameStrategy.TOPIC_NAME.simpleName(), Importance.MEDIUM,
                    "TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy for values.")
            .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Deserialize into the generated class named by the writer schema instead of GenericRecord.");

    public AvroSerdeConfig {
        if (registry == null) {
            throw new ConfigException(RegistryClientConfig.URL, null, "a Schema Registry URL is required");
        }
    }

    /** Reads and validates the serde keys from a Kafka-style config map; other keys are ignored. */
    public static AvroSerdeConfig from(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(DEFINITION, withStrategyNames(configs), false);
        long ttl = config.getLong(LATEST_CACHE_TTL_SEC);
        return new AvroSerdeConfig(
                RegistryClientConfig.from(config),
                config.getBoolean(AUTO_REGISTER_SCHEMAS),
                config.getBoolean(USE_LATEST_VERSION),
                ttl < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(ttl)),
                strategy(config, KEY_SUBJECT_NAME_STRATEGY),
                strategy(config, VALUE_SUBJECT_NAME_STRATEGY),
                config.getBoolean(SPECIFIC_AVRO_READER));
    }

    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
    }

    private static SubjectNameStrategy strategy(AbstractConfig config, String key) {
        try {
            return SubjectNameStrategy.fromConfig(config.getString(key));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, config.getString(key), e.getMessage());
        }
    }

    /** Confluent users sometimes pass a strategy as a Class object; its name is what we match on. */
    private static Map<String, ?> withStrategyNames(Map<String, ?> configs) {
        Map<String, Object> copy = new HashMap<>(configs);
        for (String key : new String[] {KEY_SUBJECT_NAME_STRATEGY, VALUE_SUBJECT_NAME_STRATEGY}) {
            if (copy.get(key) instanceof Class<?> type) {
                copy.put(key, type.getName());
            }
        }
        return copy;
    }
}
