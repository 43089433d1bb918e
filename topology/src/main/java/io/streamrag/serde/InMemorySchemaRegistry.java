package io.streamrag.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A registry held in memory with the semantics of the real one: ids are global and one per distinct schema text,
 * versions count from 1 per subject, re-registering a subject's schema is a no-op, and a new version must be
 * BACKWARD compatible with the latest (the registry's default rule), else {@link IncompatibleSchemaException}.
 */
final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final String scope;
    private final Map<String, Integer> idBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemaById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

    InMemorySchemaRegistry(String scope) {
        this.scope = scope;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer existing = idBySchemaText.get(schema.toString());
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        if (!versions.isEmpty()) {
            Schema latest = schemaById.get(versions.get(versions.size() - 1));
            if (!backwardCompatible(schema, latest)) {
                throw new IncompatibleSchemaException("mock://" + scope + ": schema " + schema.getFullName()
                        + " is not BACKWARD compatible with the latest version of subject '" + subject + "'", 409, 409);
            }
        }
        int id = existing != null ? existing : idBySchemaText.size() + 1;
        idBySchemaText.putIfAbsent(schema.toString(), id);
        schemaById.putIfAbsent(id, schema);
        versions.add(id);
        return id;
    }

    @Override
    public synchronized int lookUpId(String subject, Schema schema) {
        List<Integer> versions = versionsOf(subject);
        Integer id = idBySchemaText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw new SchemaNotFoundException("mock://" + scope + ": schema " + schema.getFullName()
                    + " is not registered under subject '" + subject + "'", 404, 40403);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemaById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("mock://" + scope + ": no schema with id " + id, 404, 40403);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> versions = versionsOf(subject);
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, versions.size(), id, schemaById.get(id));
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return true;
        }
        return backwardCompatible(schema, schemaById.get(versions.get(versions.size() - 1)));
    }

    private List<Integer> versionsOf(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SubjectNotFoundException("mock://" + scope + ": subject '" + subject + "' not found", 404, 40401);
        }
        return versions;
    }

    private static boolean backwardCompatible(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    @Override
    public String toString() {
        return "InMemorySchemaRegistry[mock://" + scope + "]";
    }
}
