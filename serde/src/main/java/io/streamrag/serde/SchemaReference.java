package io.streamrag.serde;

import java.util.Objects;

/**
 * A Confluent schema reference: the named type {@code name} that a schema uses is defined by version {@code version}
 * of subject {@code subject}.
 */
public record SchemaReference(String name, String subject, int version) {

    public SchemaReference {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
    }
}
