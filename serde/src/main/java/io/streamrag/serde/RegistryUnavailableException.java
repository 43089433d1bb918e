package io.streamrag.serde;

/** No registry URL could be reached (connection refused, timed out, TLS handshake failed on every URL). */
public class RegistryUnavailableException extends SchemaRegistryException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
