package io.streamrag.serde;

import java.util.Objects;

/** Version {@code version} of {@code subject} is the schema with global id {@code id}; a registry's unit of history. */
public record SchemaRegistration(String subject, int version, int id, SchemaDefinition definition) {

    public SchemaRegistration {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(definition, "definition");
    }
}
