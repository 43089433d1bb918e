package io.streamrag.qa;

import io.streamrag.contracts.Question;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Buffer entries for the changelog: a small versioned header (arrival time, source coordinates, key) followed by
 * the question in the questions topic's own serde, so the question keeps its writer-schema id and survives schema
 * evolution across a restore. No library writes such a composite for us; it is a handful of fixed fields.
 */
public final class PendingQuestionSerde implements Serde<PendingQuestion> {

    private static final byte FORMAT_VERSION = 1;

    private final Serde<Question> questionSerde;
    private final String questionTopic;

    /**
     * @param questionSerde the serde of the questions topic
     * @param questionTopic the topic whose subject the embedded question is written under
     */
    public PendingQuestionSerde(Serde<Question> questionSerde, String questionTopic) {
        this.questionSerde = questionSerde;
        this.questionTopic = questionTopic;
    }

    @Override
    public Serializer<PendingQuestion> serializer() {
        return (topic, pending) -> pending == null ? null : write(pending);
    }

    @Override
    public Deserializer<PendingQuestion> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(topic, bytes);
    }

    private byte[] write(PendingQuestion pending) {
        try (ByteArrayOutputStream buffer = new ByteArrayOutputStream();
             DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(FORMAT_VERSION);
            out.writeLong(pending.enqueuedAtMs());
            out.writeUTF(pending.topic() == null ? "" : pending.topic());
            out.writeInt(pending.partition());
            out.writeLong(pending.offset());
            out.writeBoolean(pending.key() != null);
            if (pending.key() != null) {
                out.writeUTF(pending.key());
            }
            byte[] question = questionSerde.serializer().serialize(questionTopic, pending.question());
            out.writeInt(question.length);
            out.write(question);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write buffered question " + pending.question().getQuestionId(), e);
        }
    }

    private PendingQuestion read(String topic, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new SerializationException("unknown buffered-question format " + version + " in " + topic);
            }
            long enqueuedAt = in.readLong();
            String sourceTopic = in.readUTF();
            int partition = in.readInt();
            long offset = in.readLong();
            String key = in.readBoolean() ? in.readUTF() : null;
            byte[] question = new byte[in.readInt()];
            in.readFully(question);
            return new PendingQuestion(questionSerde.deserializer().deserialize(questionTopic, question), key,
                    enqueuedAt, sourceTopic, partition, offset);
        } catch (IOException e) {
            throw new SerializationException("cannot read buffered question from " + topic, e);
        }
    }
}
