package io.streamrag.ingest;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted history of document changes as a source would send it: creates, updates that grow and shrink
 * documents, deletes and re-creates, some versions delivered out of order and some delivered twice. Knows which
 * change of every document must win.
 */
final class ChangeScript {

    private final List<DocumentChange> sends = new ArrayList<>();
    private final Map<String, DocumentChange> winners = new LinkedHashMap<>();

    private ChangeScript() {
    }

    static ChangeScript of(int documents) {
        ChangeScript script = new ChangeScript();
        List<List<DocumentChange>> perDocument = new ArrayList<>();
        for (int i = 0; i < documents; i++) {
            perDocument.add(script.historyOf(i));
        }
        // interleave the documents' histories, as a busy source would
        for (int step = 0; perDocument.stream().anyMatch(h -> !h.isEmpty()); step++) {
            for (List<DocumentChange> history : perDocument) {
                if (!history.isEmpty()) {
                    script.sends.add(history.remove(0));
                }
            }
        }
        return script;
    }

    private List<DocumentChange> historyOf(int i) {
        String id = String.format("doc-%03d", i);
        String topic = "topic " + i;
        List<DocumentChange> history = new ArrayList<>();
        history.add(change(id, 1, Operation.CREATE, Documents.sentences(topic, 1 + i % 4)));
        history.add(change(id, 2, Operation.UPDATE, Documents.sentences(topic, 6 + i % 7)));   // grows
        history.add(change(id, 3, Operation.UPDATE, i % 3 == 0 ? Documents.sentences(topic, 1)   // shrinks
                : Documents.sentences(topic, 9 + i % 5)));
        if (i % 4 == 0) {
            history.add(change(id, 4, Operation.DELETE, null));
            if (i % 8 == 0) {
                history.add(change(id, 5, Operation.CREATE, Documents.sentences("reborn " + topic, 3)));
            }
        }
        winners.put(id, history.get(history.size() - 1));
        if (i % 5 == 1) {
            history.add(1, history.remove(2)); // version 3 overtakes version 2, which then arrives stale
        }
        if (i % 6 == 2) {
            history.add(history.get(history.size() - 1)); // the last change delivered twice
        }
        return history;
    }

    private static DocumentChange change(String id, long version, Operation operation, String body) {
        return DocumentChange.newBuilder()
                .setOperation(operation)
                .setDocumentId(id)
                .setVersion(version)
                .setTitle(body == null ? null : "Title of " + id)
                .setBody(body)
                .setTenant("tenant-" + (id.hashCode() & 1))
                .setMetadata(Map.of("version", String.valueOf(version)))
                .setEventTime(Instant.now())
                .build();
    }

    /** Every change in send order, event times stamped now. */
    List<DocumentChange> sends() {
        return sends;
    }

    /** The change of each document that the index must reflect at the end. */
    Map<String, DocumentChange> winners() {
        return winners;
    }
}
