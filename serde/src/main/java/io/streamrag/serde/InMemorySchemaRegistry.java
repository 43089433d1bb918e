package io.streamrag.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * A registry held in memory with the semantics of the real one: ids are global and one per distinct schema
 * definition, versions count from 1 per subject, re-registering a subject's schema is a no-op, and a new version must
 * be BACKWARD compatible with the latest (the registry's default rule), else {@link IncompatibleSchemaException}.
 * Errors carry Confluent's HTTP statuses, error codes and messages, so a REST front end can pass them on as they are.
 *
 * <p>It backs the {@code mock://} scopes and the embedded registry server. The server passes a journal that sees
 * every new registration before it takes effect: a registration the journal could not persist is not made, so an id
 * handed out is always one that survives a restart (the journal is replayed through {@link #restore}).
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    /** Confluent's code for a failure of the registry's own storage. */
    public static final int STORE_ERROR = 50001;

    private record Stored(int id, SchemaDefinition definition, Schema schema) {}

    private final String prefix;
    private final Consumer<SchemaRegistration> journal;
    private final Map<SchemaDefinition, Stored> byDefinition = new HashMap<>();
    private final Map<Integer, Stored> byId = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new TreeMap<>();
    private int lastId;

    /** A registry that forgets everything with the JVM. */
    public InMemorySchemaRegistry(String name) {
        this(name, registration -> { });
    }

    /**
     * @param name put before every error message (e.g. {@code mock://tests}); "" for Confluent's bare messages
     * @param journal sees each new registration before it takes effect; what it throws fails the registration
     */
    public InMemorySchemaRegistry(String name, Consumer<SchemaRegistration> journal) {
        this.prefix = name.isEmpty() ? "" : name + ": ";
        this.journal = journal;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        return register(subject, SchemaDefinition.of(schema.toString()), schema).id();
    }

    /** Registers a schema given as text, possibly with references (the REST API's {@code POST /subjects/{s}/versions}). */
    public synchronized SchemaRegistration register(String subject, SchemaDefinition definition) {
        return register(subject, definition, null);
    }

    private SchemaRegistration register(String subject, SchemaDefinition given, Schema parsed) {
        SchemaDefinition definition = parsed != null ? given : canonical(given);
        Schema schema = parsed != null ? parsed : parse(definition);
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        Stored existing = byDefinition.get(definition);
        if (existing != null && versions.contains(existing.id())) {
            return registrationOf(subject, versions, existing.id());
        }
        if (!versions.isEmpty()) {
            SchemaPairCompatibility compatibility = backward(schema, latestSchema(versions));
            if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new IncompatibleSchemaException(prefix + "Schema being registered is incompatible with an"
                        + " earlier schema for subject '" + subject + "' (BACKWARD): "
                        + Incompatibilities.describe(compatibility), 409, 409);
            }
        }
        int id = existing != null ? existing.id() : lastId + 1;
        SchemaRegistration registration = new SchemaRegistration(subject, versions.size() + 1, id, definition);
        journal.accept(registration);
        add(registration, schema);
        return registration;
    }

    /**
     * Puts back a registration read from a journal, with its id and version and without a compatibility check (the
     * rule held when it was made).
     *
     * @throws IllegalArgumentException when it does not follow what was restored before it
     */
    public synchronized void restore(SchemaRegistration registration) {
        List<Integer> versions = versionsBySubject.getOrDefault(registration.subject(), List.of());
        if (registration.version() != versions.size() + 1) {
            throw new IllegalArgumentException("version " + registration.version() + " of subject '"
                    + registration.subject() + "' does not follow version " + versions.size());
        }
        Stored sameId = byId.get(registration.id());
        if (sameId != null && !sameId.definition().equals(registration.definition())) {
            throw new IllegalArgumentException("id " + registration.id() + " is already another schema");
        }
        Stored sameDefinition = byDefinition.get(registration.definition());
        if (sameDefinition != null && sameDefinition.id() != registration.id()) {
            throw new IllegalArgumentException("the schema of id " + registration.id() + " already has id "
                    + sameDefinition.id());
        }
        add(registration, sameId != null ? sameId.schema() : parse(registration.definition()));
    }

    private void add(SchemaRegistration registration, Schema schema) {
        Stored stored = new Stored(registration.id(), registration.definition(), schema);
        byDefinition.putIfAbsent(stored.definition(), stored);
        byId.putIfAbsent(stored.id(), stored);
        versionsBySubject.computeIfAbsent(registration.subject(), s -> new ArrayList<>()).add(stored.id());
        lastId = Math.max(lastId, stored.id());
    }

    @Override
    public synchronized int lookUpId(String subject, Schema schema) {
        return lookUp(subject, SchemaDefinition.of(schema.toString()), false).id();
    }

    /** The version of the subject that holds this schema (the REST API's {@code POST /subjects/{s}}). */
    public synchronized SchemaRegistration lookUp(String subject, SchemaDefinition definition) {
        return lookUp(subject, definition, true);
    }

    private SchemaRegistration lookUp(String subject, SchemaDefinition given, boolean canonicalize) {
        List<Integer> versions = versionsOf(subject);
        Stored stored = byDefinition.get(canonicalize ? canonical(given) : given);
        if (stored == null || !versions.contains(stored.id())) {
            throw new SchemaNotFoundException(prefix + "Schema not found: it is not registered under subject '"
                    + subject + "'", 404, 40403);
        }
        return registrationOf(subject, versions, stored.id());
    }

    @Override
    public synchronized Schema schemaById(int id) {
        return stored(id).schema();
    }

    /** The text and references of the schema with this id, as registered. */
    public synchronized SchemaDefinition definitionById(int id) {
        return stored(id).definition();
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        SchemaRegistration latest = latestRegistration(subject);
        return new RegisteredSchema(subject, latest.version(), latest.id(), byId.get(latest.id()).schema());
    }

    public synchronized SchemaRegistration latestRegistration(String subject) {
        List<Integer> versions = versionsOf(subject);
        return registrationOf(subject, versions, versions.get(versions.size() - 1));
    }

    /** @throws SchemaNotFoundException (40402) when the subject has no such version */
    public synchronized SchemaRegistration version(String subject, int version) {
        List<Integer> versions = versionsOf(subject);
        if (version < 1 || version > versions.size()) {
            throw new SchemaNotFoundException(prefix + "Version " + version + " not found.", 404, 40402);
        }
        return registrationOf(subject, versions, versions.get(version - 1));
    }

    /** The subjects with at least one version, in name order. */
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    /** The subject's version numbers, 1 to n. */
    public synchronized List<Integer> versions(String subject) {
        int count = versionsOf(subject).size();
        List<Integer> numbers = new ArrayList<>(count);
        for (int v = 1; v <= count; v++) {
            numbers.add(v);
        }
        return numbers;
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return true;
        }
        return backward(schema, latestSchema(versions)).getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    /** Whether the schema may follow the subject's latest version (the REST API's compatibility check). */
    public synchronized boolean isCompatible(String subject, SchemaDefinition definition) {
        versionsOf(subject);
        return isCompatible(subject, parse(canonical(definition)));
    }

    private SchemaRegistration registrationOf(String subject, List<Integer> versions, int id) {
        return new SchemaRegistration(subject, versions.indexOf(id) + 1, id, byId.get(id).definition());
    }

    private Stored stored(int id) {
        Stored stored = byId.get(id);
        if (stored == null) {
            throw new SchemaNotFoundException(prefix + "Schema " + id + " not found", 404, 40403);
        }
        return stored;
    }

    private List<Integer> versionsOf(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SubjectNotFoundException(prefix + "Subject '" + subject + "' not found.", 404, 40401);
        }
        return versions;
    }

    private Schema latestSchema(List<Integer> versions) {
        return byId.get(versions.get(versions.size() - 1)).schema();
    }

    /**
     * A self-contained schema is stored as Avro prints it, so the same schema sent with other whitespace or key order
     * gets the same id; a schema with references is kept as sent (printing it would inline the referenced types).
     */
    private SchemaDefinition canonical(SchemaDefinition definition) {
        if (!definition.references().isEmpty()) {
            return definition;
        }
        return SchemaDefinition.of(parse(definition).toString());
    }

    /** Parses the schema after the types its references name, each from the referenced subject version. */
    private Schema parse(SchemaDefinition definition) {
        Schema.Parser parser = new Schema.Parser();
        for (SchemaReference reference : definition.references()) {
            Schema referenced;
            try {
                referenced = byId.get(version(reference.subject(), reference.version()).id()).schema();
            } catch (SchemaRegistryException e) {
                throw new InvalidSchemaException(prefix + "Invalid schema: reference " + reference.name()
                        + " names subject '" + reference.subject() + "' version " + reference.version()
                        + ", which does not exist", 422, 42201);
            }
            if (!parser.getTypes().containsKey(referenced.getFullName())) {
                parser.parse(referenced.toString());
            }
        }
        try {
            return parser.parse(definition.schema());
        } catch (AvroRuntimeException e) {
            // SchemaParseException, and AvroTypeException for a default that does not fit its field
            throw new InvalidSchemaException(prefix + "Invalid schema: " + e.getMessage(), 422, 42201);
        }
    }

    private static SchemaPairCompatibility backward(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    }

    @Override
    public String toString() {
        return "InMemorySchemaRegistry[" + prefix.replace(": ", "") + "]";
    }
}
