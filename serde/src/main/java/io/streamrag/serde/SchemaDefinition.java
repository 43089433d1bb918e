package io.streamrag.serde;

import java.util.List;
import java.util.Objects;

/**
 * A schema as a registry stores it: its text and the references that resolve the named types it uses from other
 * subjects. Two registrations with the same definition share one global id.
 */
public record SchemaDefinition(String schema, List<SchemaReference> references) {

    public SchemaDefinition {
        Objects.requireNonNull(schema, "schema");
        references = List.copyOf(references);
    }

    /** A self-contained schema (no references). */
    public static SchemaDefinition of(String schema) {
        return new SchemaDefinition(schema, List.of());
    }
}
