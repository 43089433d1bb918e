package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.serde.samples.Article;
import io.streamrag.serde.samples.Action;
import io.streamrag.serde.samples.Origin;
import java.util.Map;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test JVM trusts io.streamrag through a system property; these tests put Avro back to its bare default (as a
 * JVM without the property) to show that the serde needs no property.
 */
class AvroTrustTest {

    private ClassSecurityPredicate before;

    @BeforeEach
    void withoutTheSystemProperty() {
        before = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT_TRUSTED_CLASSES);
    }

    @AfterEach
    void restore() {
        ClassSecurityValidator.setGlobal(before);
        MockSchemaRegistry.dropScope("trust");
    }

    @Test
    void avroRefusesOurClassesUntilTheyAreTrusted() {
        assertThat(AvroTrust.isTrusted(Article.class)).isFalse();
        assertThatThrownBy(() -> ClassSecurityValidator.validate(Article.class))
                .isInstanceOf(SecurityException.class);

        AvroTrust.trustGeneratedClasses();

        assertThat(AvroTrust.isTrusted(Article.class)).isTrue();
        assertThat(AvroTrust.isTrusted(Origin.class)).isTrue();
        assertThat(AvroTrust.isTrusted(Action.class)).isTrue();
        assertThat(AvroTrust.isTrusted(String.class)).as("Avro's own defaults are kept").isTrue();
        assertThat(AvroTrust.isTrusted(java.io.File.class)).as("nothing else is trusted").isFalse();
        assertThat(AvroTrust.isTrusted(AvroTrustTest.class)).as("only generated classes").isFalse();
    }

    @Test
    void trustingTwiceInstallsOnce() {
        AvroTrust.trustGeneratedClasses();
        ClassSecurityPredicate once = ClassSecurityValidator.getGlobal();

        AvroTrust.trustGeneratedClasses();

        assertThat(ClassSecurityValidator.getGlobal()).isSameAs(once);
    }

    @Test
    void theSerdeTrustsGeneratedClassesItself() {
        SpecificAvroSerde<Article> serde = new SpecificAvroSerde<>();
        serde.configure(Map.of(RegistryClientConfig.URL, "mock://trust"), false);

        Object back = serde.deserializer().deserialize("documents",
                serde.serializer().serialize("documents", SerdeSamples.article()));

        assertThat(back).isEqualTo(SerdeSamples.article());
    }
}
