package io.streamrag.serde;

/** The registry refused the schema or version as invalid (422, 42201/42202). */
public class InvalidSchemaException extends SchemaRegistryException {

    public InvalidSchemaException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
