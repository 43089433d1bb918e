package io.streamrag.serde;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * TLS material for the registry connection: a trust store for a private CA and, for mutual TLS, a key store with
 * the client certificate. Without a trust store the JDK's default CAs are used.
 */
public record RegistryTls(
        Optional<Store> truststore,
        Optional<Store> keystore,
        Optional<Password> keyPassword) {

    /** One key or trust store file. */
    public record Store(Path location, Optional<Password> password, String type) {

        @Override
        public String toString() {
            return "Store[" + location + ", " + type + "]";
        }
    }

    static Optional<RegistryTls> from(AbstractConfig config) {
        Optional<Store> truststore = store(config, RegistryClientConfig.TRUSTSTORE_LOCATION,
                RegistryClientConfig.TRUSTSTORE_PASSWORD, RegistryClientConfig.TRUSTSTORE_TYPE);
        Optional<Store> keystore = store(config, RegistryClientConfig.KEYSTORE_LOCATION,
                RegistryClientConfig.KEYSTORE_PASSWORD, RegistryClientConfig.KEYSTORE_TYPE);
        if (truststore.isEmpty() && keystore.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RegistryTls(truststore, keystore,
                Optional.ofNullable(config.getPassword(RegistryClientConfig.KEY_PASSWORD))));
    }

    private static Optional<Store> store(AbstractConfig config, String locationKey, String passwordKey, String typeKey) {
        String location = config.getString(locationKey);
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(location.trim());
        if (!Files.isReadable(path)) {
            throw new ConfigException(locationKey, location, "file does not exist or is not readable");
        }
        return Optional.of(new Store(path, Optional.ofNullable(config.getPassword(passwordKey)),
                config.getString(typeKey).trim()));
    }

    /** Builds the SSL context; a wrong password or a damaged file fails here, at start-up, naming the file. */
    public SSLContext sslContext() {
        try {
            TrustManagerFactory trust = null;
            if (truststore.isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(truststore.get()));
            }
            KeyManagerFactory keys = null;
            if (keystore.isPresent()) {
                Store store = keystore.get();
                char[] keyPass = keyPassword.or(store::password).map(p -> p.value().toCharArray()).orElse(new char[0]);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(store), keyPass);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot build the Schema Registry TLS context from " + this + ": " + e.getMessage());
        }
    }

    private static KeyStore load(Store store) throws GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance(store.type());
        char[] password = store.password().map(p -> p.value().toCharArray()).orElse(null);
        try (InputStream in = Files.newInputStream(store.location())) {
            keyStore.load(in, password);
        } catch (IOException e) {
            throw new ConfigException("Cannot read " + store.type() + " store " + store.location() + ": " + e.getMessage());
        }
        return keyStore;
    }
}
