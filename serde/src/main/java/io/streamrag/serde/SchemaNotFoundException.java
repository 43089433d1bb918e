package io.streamrag.serde;

/** No schema with that id, or no such version of a subject (40403, 40402). */
public class SchemaNotFoundException extends SchemaRegistryException {

    public SchemaNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
