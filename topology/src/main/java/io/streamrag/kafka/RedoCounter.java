package io.streamrag.kafka;

import io.micrometer.core.instrument.Counter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts work done twice. Under exactly-once an aborted transaction (fencing, a replaced thread) rolls the stores back
 * and the same records are processed again: correct, but wasted, and a sign that batches outlive their transaction.
 * This remembers, for the life of the process, what was completed (by a key naming the unit of work, e.g. document and
 * version, or a question's coordinates) and counts a unit completed again. The memory is bounded: the oldest keys are
 * forgotten first, which only matters for redo after very long aborts. A process restart forgets everything.
 */
public final class RedoCounter {

    static final int REMEMBERED = 100_000;

    private final Counter redone;
    private final Map<String, Boolean> completed = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    public RedoCounter(Counter redone) {
        this.redone = redone;
    }

    /** Notes that the unit {@code key} was completed; returns true (and counts it) when it had been before. */
    public synchronized boolean completed(String key) {
        boolean again = completed.put(key, Boolean.TRUE) != null;
        if (again) {
            redone.increment();
        }
        return again;
    }

    public double count() {
        return redone.count();
    }
}
