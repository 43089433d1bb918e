package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    private static Map<String, Object> with(Object... keysAndValues) {
        Map<String, Object> config = new HashMap<>();
        config.put(RegistryClientConfig.URL, "http://registry:8081");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    @Test
    void hasConfluentsDefaults() {
        AvroSerdeConfig config = AvroSerdeConfig.from(with());

        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.latestCacheTtl()).isEmpty();
        assertThat(config.keySubjectNameStrategy()).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
        assertThat(config.valueSubjectNameStrategy()).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
        assertThat(config.registry().credentials().authorization(URI.create("http://registry:8081"))).isEmpty();
    }

    @Test
    void readsTheKeysAsConfluentUsersWriteThem() {
        AvroSerdeConfig config = AvroSerdeConfig.from(with(
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false",
                AvroSerdeConfig.USE_LATEST_VERSION, true,
                AvroSerdeConfig.LATEST_CACHE_TTL_SEC, "60",
                AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.RecordNameStrategy",
                AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "TopicRecordNameStrategy",
                AvroSerdeConfig.SPECIFIC_AVRO_READER, "true",
                RegistryClientConfig.URL, "http://a:8081, https://b:8081/apis/ccompat/v7"));

        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.useLatestVersion()).isTrue();
        assertThat(config.latestCacheTtl()).hasValueSatisfying(ttl -> assertThat(ttl.getSeconds()).isEqualTo(60));
        assertThat(config.subjectNameStrategy(true)).isEqualTo(SubjectNameStrategy.RECORD_NAME);
        assertThat(config.subjectNameStrategy(false)).isEqualTo(SubjectNameStrategy.TOPIC_RECORD_NAME);
        assertThat(config.specificAvroReader()).isTrue();
        assertThat(config.registry().urls())
                .containsExactly(URI.create("http://a:8081"), URI.create("https://b:8081/apis/ccompat/v7"));
    }

    @Test
    void acceptsEveryConfluentStrategyName() {
        for (String name : new String[] {"TopicNameStrategy", "RecordNameStrategy", "TopicRecordNameStrategy"}) {
            assertThat(SubjectNameStrategy.fromConfig("io.confluent.kafka.serializers.subject." + name).simpleName())
                    .isEqualTo(name);
            assertThat(SubjectNameStrategy.fromConfig(name).simpleName()).isEqualTo(name);
        }
        assertThatThrownBy(() -> AvroSerdeConfig.from(with(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "SubjectPerDay")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SubjectPerDay")
                .hasMessageContaining("TopicNameStrategy");
    }

    @Test
    void refusesMissingOrUnusableUrls() {
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(RegistryClientConfig.URL);
        assertThatThrownBy(() -> AvroSerdeConfig.from(with(RegistryClientConfig.URL, "registry:8081")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http://");
        assertThatThrownBy(() -> AvroSerdeConfig.from(with(RegistryClientConfig.URL, "mock://a,http://b:8081")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mock://");
    }

    @Test
    void buildsTheAuthorizationHeaderFromTheConfiguredSource() {
        URI url = URI.create("http://registry:8081");
        RegistryClientConfig userInfo = RegistryClientConfig.from(with(
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                RegistryClientConfig.BASIC_AUTH_USER_INFO, "alice:s3cret"));
        RegistryClientConfig legacyKey = RegistryClientConfig.from(with(
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                RegistryClientConfig.LEGACY_BASIC_AUTH_USER_INFO, "alice:s3cret"));
        URI withUserInfo = URI.create("http://alice:s3cret@registry:8081");
        RegistryClientConfig fromUrl = RegistryClientConfig.from(with(RegistryClientConfig.URL, withUserInfo.toString()));
        RegistryClientConfig bearer = RegistryClientConfig.from(with(
                RegistryClientConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                RegistryClientConfig.BEARER_AUTH_TOKEN, "tok"));

        String alice = RestSchemaRegistryClientTest.basic("alice", "s3cret");
        assertThat(userInfo.credentials().authorization(url)).hasValue(alice);
        assertThat(legacyKey.credentials().authorization(url)).hasValue(alice);
        assertThat(fromUrl.credentials().authorization(withUserInfo)).hasValue(alice);
        assertThat(bearer.credentials().authorization(url)).hasValue("Bearer tok");
    }

    @Test
    void refusesIncompleteOrConflictingCredentials() {
        assertThatThrownBy(() -> RegistryClientConfig.from(with(
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(RegistryClientConfig.BASIC_AUTH_USER_INFO);
        assertThatThrownBy(() -> RegistryClientConfig.from(with(
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("USER_INFO, URL");
        assertThatThrownBy(() -> RegistryClientConfig.from(with(
                RegistryClientConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "OAUTHBEARER")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("STATIC_TOKEN");
        assertThatThrownBy(() -> RegistryClientConfig.from(with(
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                RegistryClientConfig.BASIC_AUTH_USER_INFO, "alice:s3cret",
                RegistryClientConfig.BEARER_AUTH_TOKEN, "tok")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Both basic and bearer");
    }

    @Test
    void neverPrintsSecrets() {
        RegistryClientConfig config = RegistryClientConfig.from(with(
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                RegistryClientConfig.BASIC_AUTH_USER_INFO, "alice:s3cret"));

        assertThat(config.toString()).doesNotContain("s3cret").contains("USER_INFO");
        assertThat(RegistryClientConfig.from(with(RegistryClientConfig.URL, "http://alice:s3cret@registry:8081")).toString())
                .doesNotContain("s3cret").contains("http://***@registry:8081");
        assertThatThrownBy(() -> RegistryClientConfig.from(with(
                RegistryClientConfig.TRUSTSTORE_LOCATION, "/nonexistent/truststore.p12",
                RegistryClientConfig.TRUSTSTORE_PASSWORD, "hunter2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/nonexistent/truststore.p12")
                .hasMessageNotContaining("hunter2");
    }
}
