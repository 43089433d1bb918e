package io.streamrag.ingest;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import java.time.Instant;
import java.util.Map;

/** DocumentChange events as a producer would write them. */
final class Documents {

    private Documents() {
    }

    static DocumentChange upsert(String id, long version, String title, String body) {
        return DocumentChange.newBuilder()
                .setOperation(version == 1 ? Operation.CREATE : Operation.UPDATE)
                .setDocumentId(id)
                .setVersion(version)
                .setTitle(title)
                .setBody(body)
                .setTenant("acme")
                .setMetadata(Map.of("lang", "en"))
                .setEventTime(IngestRig.NOW.minusMillis(250))
                .build();
    }

    static DocumentChange delete(String id, long version) {
        return DocumentChange.newBuilder()
                .setOperation(Operation.DELETE)
                .setDocumentId(id)
                .setVersion(version)
                .setTenant("acme")
                .setEventTime(IngestRig.NOW.minusMillis(250))
                .build();
    }

    /** A body of {@code sentences} short distinct sentences. */
    static String sentences(String topic, int sentences) {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= sentences; i++) {
            body.append("Fact ").append(i).append(" about ").append(topic).append(" is worth knowing. ");
        }
        return body.toString().strip();
    }

    static Instant at(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
