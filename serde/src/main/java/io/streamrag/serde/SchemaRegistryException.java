package io.streamrag.serde;

/**
 * A Schema Registry request failed. Subclasses name the documented failures (subject or schema not found,
 * incompatible, invalid, not authorised, unreachable) so callers can tell a data problem from an outage.
 */
public class SchemaRegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = -1;
    }

    /** The HTTP status of the response, or -1 when no response came back. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (e.g. 40401), or -1 when none was given. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Maps a registry error response to the exception that names it. Confluent's codes: 40401 subject not found,
     * 40402 version not found, 40403 schema not found, 409 incompatible, 42201/42202 invalid schema or version,
     * 401/403 authentication and authorisation.
     */
    static SchemaRegistryException fromResponse(String request, int httpStatus, int errorCode, String registryMessage) {
        String message = request + " failed: HTTP " + httpStatus
                + (errorCode > 0 ? " error_code " + errorCode : "")
                + (registryMessage == null || registryMessage.isBlank() ? "" : ": " + registryMessage);
        if (errorCode == 40401) {
            return new SubjectNotFoundException(message, httpStatus, errorCode);
        }
        if (errorCode == 40402 || errorCode == 40403) {
            return new SchemaNotFoundException(message, httpStatus, errorCode);
        }
        if (httpStatus == 409 || errorCode == 409) {
            return new IncompatibleSchemaException(message, httpStatus, errorCode);
        }
        if (httpStatus == 422 || errorCode / 100 == 422) {
            return new InvalidSchemaException(message, httpStatus, errorCode);
        }
        if (httpStatus == 401 || httpStatus == 403) {
            return new RegistryAuthorizationException(message, httpStatus, errorCode);
        }
        if (httpStatus == 404) {
            // a 404 without a registry error code: usually a wrong base URL or path prefix
            return new SchemaRegistryException(message + " (is the registry URL and its path prefix right?)",
                    httpStatus, errorCode);
        }
        return new SchemaRegistryException(message, httpStatus, errorCode);
    }
}
