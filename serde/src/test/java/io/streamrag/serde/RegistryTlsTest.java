package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client over HTTPS to a registry with a private CA, with and without a client certificate (mutual TLS). */
class RegistryTlsTest {

    private static final String PASSWORD = "changeit";
    private static final Schema PERSON = TestSchemas.record("Person", "name");

    private ConfluentRegistryDouble registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void trustsThePrivateCaFromTheTruststore() throws Exception {
        registry = ConfluentRegistryDouble.startHttps(serverContext(), false);

        int id = client(Map.of(
                RegistryClientConfig.TRUSTSTORE_LOCATION, tls("client-truststore.p12"),
                RegistryClientConfig.TRUSTSTORE_PASSWORD, PASSWORD,
                RegistryClientConfig.TRUSTSTORE_TYPE, "PKCS12")).register("people-value", PERSON);

        assertThat(id).isPositive();
    }

    @Test
    void anUntrustedCertificateLeavesTheRegistryUnreachable() throws Exception {
        registry = ConfluentRegistryDouble.startHttps(serverContext(), false);

        assertThatThrownBy(() -> client(Map.of()).register("people-value", PERSON))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining(registry.url());
    }

    @Test
    void presentsTheClientCertificateFromTheKeystore() throws Exception {
        registry = ConfluentRegistryDouble.startHttps(serverContext(), true);
        Map<String, Object> trustOnly = Map.of(
                RegistryClientConfig.TRUSTSTORE_LOCATION, tls("client-truststore.p12"),
                RegistryClientConfig.TRUSTSTORE_PASSWORD, PASSWORD,
                RegistryClientConfig.TRUSTSTORE_TYPE, "PKCS12");
        Map<String, Object> mutual = new HashMap<>(trustOnly);
        mutual.put(RegistryClientConfig.KEYSTORE_LOCATION, tls("client-keystore.p12"));
        mutual.put(RegistryClientConfig.KEYSTORE_PASSWORD, PASSWORD);
        mutual.put(RegistryClientConfig.KEYSTORE_TYPE, "PKCS12");
        mutual.put(RegistryClientConfig.KEY_PASSWORD, PASSWORD);

        assertThat(client(mutual).register("people-value", PERSON)).isPositive();
        assertThatThrownBy(() -> client(trustOnly).latest("people-value"))
                .isInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    void aWrongStorePasswordFailsAtConfigurationNamingTheFile() throws Exception {
        String truststore = tls("client-truststore.p12");

        assertThatThrownBy(() -> client(Map.of(
                RegistryClientConfig.TRUSTSTORE_LOCATION, truststore,
                RegistryClientConfig.TRUSTSTORE_PASSWORD, "wrong",
                RegistryClientConfig.TRUSTSTORE_TYPE, "PKCS12")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(truststore);
    }

    private RestSchemaRegistryClient client(Map<String, Object> tls) {
        Map<String, Object> config = new HashMap<>(tls);
        config.put(RegistryClientConfig.URL, registry == null ? "https://127.0.0.1:1" : registry.url());
        return new RestSchemaRegistryClient(RegistryClientConfig.from(config));
    }

    private static String tls(String file) throws URISyntaxException {
        return Path.of(RegistryTlsTest.class.getResource("/serde/tls/" + file).toURI()).toString();
    }

    private static SSLContext serverContext() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load("registry-keystore.p12"), PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("registry-truststore.p12"));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(String file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = RegistryTlsTest.class.getResourceAsStream("/serde/tls/" + file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
