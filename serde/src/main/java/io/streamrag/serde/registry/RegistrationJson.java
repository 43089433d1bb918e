package io.streamrag.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamrag.serde.SchemaDefinition;
import io.streamrag.serde.SchemaReference;
import io.streamrag.serde.SchemaRegistration;
import java.util.ArrayList;
import java.util.List;

/**
 * A registration as Confluent's API writes a subject version, {@code {"subject","version","id","schema"
 * [,"references"]}}: the body of {@code GET /subjects/{s}/versions/{v}} and, the same, one line of the journal.
 */
final class RegistrationJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private RegistrationJson() {
    }

    static ObjectNode toJson(SchemaRegistration registration) {
        ObjectNode node = JSON.createObjectNode()
                .put("subject", registration.subject())
                .put("version", registration.version())
                .put("id", registration.id())
                .put("schema", registration.definition().schema());
        return withReferences(node, registration.definition());
    }

    /** Adds {@code "references"} when the schema has any (Confluent leaves the field out otherwise). */
    static ObjectNode withReferences(ObjectNode node, SchemaDefinition definition) {
        if (!definition.references().isEmpty()) {
            ArrayNode references = node.putArray("references");
            for (SchemaReference reference : definition.references()) {
                references.addObject().put("name", reference.name()).put("subject", reference.subject())
                        .put("version", reference.version());
            }
        }
        return node;
    }

    /** @throws IllegalArgumentException naming a missing field */
    static SchemaRegistration fromJson(JsonNode node) {
        return new SchemaRegistration(required(node, "subject").asText(), required(node, "version").asInt(),
                required(node, "id").asInt(),
                new SchemaDefinition(required(node, "schema").asText(), references(node.path("references"))));
    }

    /** @throws IllegalArgumentException naming a missing field */
    static List<SchemaReference> references(JsonNode array) {
        List<SchemaReference> references = new ArrayList<>();
        for (JsonNode reference : array) {
            references.add(new SchemaReference(required(reference, "name").asText(),
                    required(reference, "subject").asText(), required(reference, "version").asInt()));
        }
        return references;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("no '" + field + "' in " + node);
        }
        return value;
    }
}
