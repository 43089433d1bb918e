package io.streamrag.serde;

/** The registry refused the schema as incompatible with the subject's earlier versions (409). */
public class IncompatibleSchemaException extends SchemaRegistryException {

    public IncompatibleSchemaException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
