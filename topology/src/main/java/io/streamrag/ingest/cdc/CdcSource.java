package io.streamrag.ingest.cdc;

import java.util.List;

/**
 * One captured table: the topics Debezium writes it to, how they are encoded, and how its columns become a document.
 *
 * @param name    logical name, used in processor names and as {@code SourceInfo.name} when the event has none
 * @param topics  the CDC topics (usually one, {@code <topic.prefix>.<schema>.<table>})
 * @param format  how keys and values were written by Kafka Connect
 * @param mapping which columns are id, title, body, ...
 */
public record CdcSource(String name, List<String> topics, CdcFormat format, CdcFieldMapping mapping) {

    public CdcSource {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a CDC source needs a name of letters, digits, '.', '_' or '-': " + name);
        }
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("CDC source " + name + " has no topics");
        }
        topics = List.copyOf(topics);
        if (format == null || mapping == null) {
            throw new IllegalArgumentException("CDC source " + name + " needs a format and a field mapping");
        }
    }
}
