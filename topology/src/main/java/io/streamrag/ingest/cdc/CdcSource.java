package io.streamrag.ingest.cdc;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One captured table: the topics Debezium writes it to, how they are encoded, and how its columns become a document.
 *
 * @param name         logical name, used in processor names and as {@code SourceInfo.name} when the event has none
 * @param topics       the CDC topics (usually one, {@code <topic.prefix>.<schema>.<table>}); empty with a pattern
 * @param topicPattern a regular expression over topic names, instead of a list (null with a list)
 * @param format       how keys and values were written by Kafka Connect
 * @param envelope     full change events, flattened rows, or detected per event
 * @param mapping      which columns are id, title, body, ...
 * @param truncate     what a truncate event does
 */
public record CdcSource(String name, List<String> topics, Pattern topicPattern, CdcFormat format,
                        CdcEnvelope envelope, CdcFieldMapping mapping, TruncatePolicy truncate) {

    public CdcSource {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a CDC source needs a name of letters, digits, '.', '_' or '-': "
                    + name);
        }
        topics = topics == null ? List.of() : List.copyOf(topics);
        if (topics.isEmpty() == (topicPattern == null)) {
            throw new IllegalArgumentException("CDC source " + name + " needs either a list of topics or a topic "
                    + "pattern, not " + (topics.isEmpty() ? "neither" : "both"));
        }
        if (format == null || mapping == null) {
            throw new IllegalArgumentException("CDC source " + name + " needs a format and a field mapping");
        }
        envelope = envelope == null ? CdcEnvelope.AUTO : envelope;
        truncate = truncate == null ? TruncatePolicy.DELETE : truncate;
    }

    /** A source reading a list of topics, envelopes detected per event, truncates applied. */
    public CdcSource(String name, List<String> topics, CdcFormat format, CdcFieldMapping mapping) {
        this(name, topics, null, format, CdcEnvelope.AUTO, mapping, TruncatePolicy.DELETE);
    }

    /** For messages: the topics, or the pattern. */
    public String describeTopics() {
        return topicPattern == null ? String.join(",", topics) : "pattern " + topicPattern.pattern();
    }

    @Override
    public boolean equals(Object other) {
        // Pattern has identity equality; two sources with the same regular expression are the same source
        return other instanceof CdcSource that && that.name.equals(name) && that.topics.equals(topics)
                && patternText(that.topicPattern).equals(patternText(topicPattern)) && that.format == format
                && that.envelope == envelope && that.mapping.equals(mapping) && that.truncate == truncate;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, topics, patternText(topicPattern), format, envelope, mapping, truncate);
    }

    private static String patternText(Pattern pattern) {
        return pattern == null ? "" : pattern.pattern();
    }
}
