package io.streamrag.app;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import io.streamrag.app.config.AppConfig;

/** A part of the application that runs as its own Kafka Streams instance, with its own {@code application.id}. */
public enum Role {
    /** Document changes to chunks, embeddings and the vector store. */
    INGEST,
    /** Questions to retrieval, generation and answers. */
    QA;

    /** The name used on the command line and in logs: {@code ingest}, {@code qa}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String applicationId(AppConfig config) {
        return switch (this) {
            case INGEST -> config.ingest().applicationId();
            case QA -> config.qa().applicationId();
        };
    }

    public static Optional<Role> fromCliName(String name) {
        return Arrays.stream(values()).filter(role -> role.cliName().equals(name)).findFirst();
    }
}
