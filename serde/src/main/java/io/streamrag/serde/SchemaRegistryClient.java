package io.streamrag.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that a wire-format serde needs. Ids are global to the registry:
 * the same schema registered under two subjects has one id. Implementations cache what cannot change (id to schema,
 * subject and schema to id), never the latest version of a subject.
 */
public interface SchemaRegistryClient {

    /** Registers the schema under the subject (a no-op returning the existing id when it is already there). */
    int register(String subject, Schema schema);

    /**
     * The id of a schema already registered under the subject.
     *
     * @throws SubjectNotFoundException when the subject does not exist
     * @throws SchemaNotFoundException when the subject exists but not with this schema
     */
    int lookUpId(String subject, Schema schema);

    /**
     * The schema with this global id.
     *
     * @throws SchemaNotFoundException when no schema has this id
     */
    Schema schemaById(int id);

    /**
     * The newest version of the subject.
     *
     * @throws SubjectNotFoundException when the subject does not exist
     */
    RegisteredSchema latest(String subject);

    /** Whether the subject's compatibility rule accepts the schema as its next version (true for a new subject). */
    boolean isCompatible(String subject, Schema schema);
}
