package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.serde.samples.Article;
import io.streamrag.serde.samples.Query;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bytes that are not a readable framed record fail with a SerializationException that says what is wrong. */
class BadBytesTest {

    private static final String SCOPE = "bad-bytes";
    private SpecificAvroSerde<Article> serde;
    private byte[] good;

    @BeforeEach
    void setUp() {
        serde = new SpecificAvroSerde<>(Article.class);
        serde.configure(Map.of(RegistryClientConfig.URL, "mock://" + SCOPE), false);
        good = serde.serializer().serialize("documents", SerdeSamples.article());
    }

    @AfterEach
    void drop() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    private Article read(byte[] bytes) {
        return serde.deserializer().deserialize("documents", bytes);
    }

    @Test
    void theGoodBytesDoDecode() {
        assertThat(read(good)).isEqualTo(SerdeSamples.article());
    }

    @Test
    void aWrongMagicByteIsNamed() {
        byte[] bytes = good.clone();
        bytes[0] = 1;

        assertThatThrownBy(() -> read(bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 1, expected 0")
                .hasMessageContaining("topic 'documents'");
    }

    @Test
    void plainJsonIsRefusedByItsMagicByte() {
        assertThatThrownBy(() -> read("{\"documentId\":\"doc-42\"}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 123");
    }

    @Test
    void tooFewBytesForTheHeaderAreNamed() {
        assertThatThrownBy(() -> read(new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes is too short");
    }

    @Test
    void anUnknownSchemaIdIsNamed() {
        byte[] bytes = good.clone();
        bytes[1] = 0;
        bytes[2] = 0;
        bytes[3] = 0x27;
        bytes[4] = 0x0f; // 9999

        assertThatThrownBy(() -> read(bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown schema id 9999")
                .hasCauseInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void aTruncatedPayloadIsNamedWithItsSchemaId() {
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        int id = java.nio.ByteBuffer.wrap(good, 1, 4).getInt();

        assertThatThrownBy(() -> read(truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id " + id)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void aCorruptPayloadIsNamed() {
        byte[] corrupt = Arrays.copyOf(good, good.length);
        Arrays.fill(corrupt, 5, corrupt.length, (byte) 0xff);

        assertThatThrownBy(() -> read(corrupt))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void bytesLeftOverAfterThePayloadAreNamed() {
        byte[] longer = Arrays.copyOf(good, good.length + 3);

        assertThatThrownBy(() -> read(longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes left after the Avro payload");
    }

    @Test
    void aRecordOfAnotherTypeIsNamed() {
        SpecificAvroSerde<Query> questions = new SpecificAvroSerde<>(Query.class);
        questions.configure(Map.of(RegistryClientConfig.URL, "mock://" + SCOPE), false);
        byte[] question = questions.serializer().serialize("questions", SerdeSamples.query());

        assertThatThrownBy(() -> read(question))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.streamrag.serde.samples.Query")
                .hasMessageContaining("cannot be read as io.streamrag.serde.samples.Article");
    }

    @Test
    void anUnreachableRegistryIsNotBlamedOnTheRecord() throws Exception {
        AvroDeserializer<Article> deserializer = new AvroDeserializer<>(Article.class, null);
        deserializer.configure(Map.of(RegistryClientConfig.URL,
                "http://127.0.0.1:" + RestSchemaRegistryClientTest.closedPort()), false);

        assertThatThrownBy(() -> deserializer.deserialize("documents", good))
                .isInstanceOf(RegistryUnavailableException.class)
                .isNotInstanceOf(SerializationException.class);
    }
}
