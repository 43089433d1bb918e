package io.streamrag.serde;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * How a serializer names the registry subject of a record, as Confluent's strategies do. Configured by the simple
 * name ({@code TopicNameStrategy}) or by Confluent's fully-qualified class name, so existing configs work unchanged.
 */
public enum SubjectNameStrategy {

    /** {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic (the default). */
    TOPIC_NAME("TopicNameStrategy") {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name: one lineage per record type, shared by all topics. */
    RECORD_NAME("RecordNameStrategy") {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return fullName(schema, this);
        }
    },
    /** {@code <topic>-<record full name>}: several record types per topic. */
    TOPIC_RECORD_NAME("TopicRecordNameStrategy") {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + "-" + fullName(schema, this);
        }
    };

    private static final String CONFLUENT_PACKAGE = "io.confluent.kafka.serializers.subject.";

    private final String simpleName;

    SubjectNameStrategy(String simpleName) {
        this.simpleName = simpleName;
    }

    public abstract String subjectName(String topic, boolean isKey, Schema schema);

    /** The name users write in configs, e.g. {@code TopicNameStrategy}. */
    public String simpleName() {
        return simpleName;
    }

    /**
     * Accepts {@code TopicNameStrategy}, {@code io.confluent.kafka.serializers.subject.TopicNameStrategy} or
     * {@code TOPIC_NAME} (and the same for the other two).
     */
    public static SubjectNameStrategy fromConfig(String value) {
        String name = value.trim();
        if (name.startsWith(CONFLUENT_PACKAGE)) {
            name = name.substring(CONFLUENT_PACKAGE.length());
        }
        for (SubjectNameStrategy strategy : values()) {
            if (strategy.simpleName.equals(name) || strategy.name().equals(name.toUpperCase(Locale.ROOT))) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("Unknown subject name strategy '" + value
                + "'; expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy"
                + " (optionally with Confluent's package " + CONFLUENT_PACKAGE + ")");
    }

    private static String fullName(Schema schema, SubjectNameStrategy strategy) {
        switch (schema.getType()) {
            case RECORD:
            case ENUM:
            case FIXED:
                return schema.getFullName();
            default:
                throw new SerializationException(strategy.simpleName + " needs a named schema (record, enum or fixed),"
                        + " got " + schema.getType().getName());
        }
    }
}
