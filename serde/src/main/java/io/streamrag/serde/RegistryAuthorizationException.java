package io.streamrag.serde;

/** The registry refused the credentials (401) or the permission (403). */
public class RegistryAuthorizationException extends SchemaRegistryException {

    public RegistryAuthorizationException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
