package io.streamrag.observability;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives Kafka Streams' state store meters one set of tag keys. Streams names a store by a tag whose key says the
 * store's kind ({@code rocksdb-state-id}, {@code in-memory-state-id}, {@code rocksdb-window-state-id}, ...) on meters
 * of the same name; Prometheus requires one key set per name, so Micrometer dropped every meter of the second kind
 * (with a warning at start). This filter rewrites such a tag to {@code state.id} plus {@code store.type} (rocksdb,
 * in-memory, rocksdb-window, ...), which keeps all of them and still tells the kinds apart.
 */
final class StateStoreTags implements MeterFilter {

    static final String STATE_ID = "state.id";
    static final String STORE_TYPE = "store.type";
    private static final String SUFFIX = ".state.id";

    @Override
    public Meter.Id map(Meter.Id id) {
        List<Tag> tags = id.getTags();
        Tag storeTag = null;
        for (Tag tag : tags) {
            if (tag.getKey().endsWith(SUFFIX) && tag.getKey().length() > SUFFIX.length()) {
                storeTag = tag;
                break;
            }
        }
        if (storeTag == null) {
            return id;
        }
        List<Tag> replaced = new ArrayList<>(tags.size() + 1);
        for (Tag tag : tags) {
            if (tag != storeTag) {
                replaced.add(tag);
            }
        }
        String kind = storeTag.getKey().substring(0, storeTag.getKey().length() - SUFFIX.length()).replace('.', '-');
        replaced.add(Tag.of(STATE_ID, storeTag.getValue()));
        replaced.add(Tag.of(STORE_TYPE, kind));
        return id.replaceTags(replaced);
    }
}
