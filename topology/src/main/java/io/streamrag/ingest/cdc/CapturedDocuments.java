package io.streamrag.ingest.cdc;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.ingest.MappedChange;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the ingest knows of each CDC source's documents, per input partition: for every document id the newest
 * version seen and whether it is deleted. It answers two questions: is a change news (newer than what was captured
 * before, so the captured-documents topic must hear of it), and which documents does a truncate remove.
 *
 * <p>Entries are {@code <source>\u0000<document id> -> "u:<version>" | "d:<version>"}; deleted documents keep their
 * version so that an older change arriving late is recognised as stale, as the ingest's applied-versions store does.
 */
public final class CapturedDocuments {

    private static final char SEPARATOR = '\u0000';

    private final KeyValueStore<String, String> store;

    public CapturedDocuments(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /**
     * Records a change of {@code source}'s document and says whether it is news. A versioned change is news when it
     * is newer than the known version; a version-less delete when the document was live.
     */
    public boolean record(String source, MappedChange mapped) {
        String key = key(source, mapped.documentId());
        Known known = Known.parse(store.get(key));
        DocumentChange change = mapped.change();
        if (change == null) {
            if (known == null || known.deleted()) {
                return false;
            }
            store.put(key, new Known(known.version(), true).text());
            return true;
        }
        if (known != null && change.getVersion() <= known.version()) {
            return false;
        }
        store.put(key, new Known(change.getVersion(), change.getOperation() == Operation.DELETE).text());
        return true;
    }

    /** Marks every live document of {@code source} deleted and returns their ids. */
    public List<String> truncate(String source) {
        List<KeyValue<String, String>> live = new ArrayList<>();
        try (KeyValueIterator<String, String> all = store.prefixScan(source + SEPARATOR, new StringSerializer())) {
            all.forEachRemaining(entry -> {
                if (!Known.parse(entry.value).deleted()) {
                    live.add(entry);
                }
            });
        }
        List<String> ids = new ArrayList<>(live.size());
        for (KeyValue<String, String> entry : live) {
            store.put(entry.key, new Known(Known.parse(entry.value).version(), true).text());
            ids.add(entry.key.substring(source.length() + 1));
        }
        return ids;
    }

    private static String key(String source, String documentId) {
        return source + SEPARATOR + documentId;
    }

    private record Known(long version, boolean deleted) {

        static Known parse(String text) {
            if (text == null) {
                return null;
            }
            return new Known(Long.parseLong(text.substring(2)), text.charAt(0) == 'd');
        }

        String text() {
            return (deleted ? "d:" : "u:") + version;
        }
    }
}
