package io.streamrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random and adversarial document changes (ids, keys, versions, operations, sizes, Unicode, metadata, tenants,
 * undecodable bytes) through the ingest topology: after each one a good change is still indexed, and each random one
 * leaves exactly one trace, an index update when it is valid or one dead letter when it is not.
 */
class IngestFuzzTest {

    private static final int MAX_BODY_CHARS = 2_000;

    private IngestRig rig;
    private int round;

    @BeforeProperty
    void open() {
        rig = new IngestRig();
    }

    @AfterProperty
    void close() {
        rig.close();
    }

    /** One fuzzed input: either raw bytes or a change with the key it is written under. */
    record Input(String key, DocumentChange change, byte[] raw) {
    }

    @Property(tries = 150)
    void everyRandomChangeIsIndexedOrDeadLetteredOnceAndTheNextGoodChangeIsIndexed(
            @ForAll("inputs") Input input) {
        round++;
        String unique = "r" + round + "-";
        DocumentChange change = input.change() == null ? null : withUniqueId(input.change(), unique);
        String key = input.key() == null ? null : change != null && input.key().equals(input.change().getDocumentId())
                ? change.getDocumentId() : input.key();
        if (input.raw() != null) {
            rig.rawChanges.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), input.raw());
        } else {
            rig.changes.pipeInput(key, change);
        }
        String good = "good-" + round;
        rig.changes.pipeInput(good, Documents.upsert(good, 1, "Good", "A good document, number " + round + "."));
        rig.lingerPasses();

        List<IndexUpdate> updates = rig.updates.readValuesToList();
        List<DeadLetter> dead = rig.deadLetters.readValuesToList();
        assertThat(updates).as("the good change after it").anyMatch(u -> u.getDocumentId().equals(good));
        List<IndexUpdate> forRandom = updates.stream().filter(u -> !u.getDocumentId().equals(good)).toList();
        boolean valid = input.raw() == null && isValid(key, change);
        if (valid) {
            assertThat(forRandom).as("a valid change is indexed once").hasSize(1);
            assertThat(dead).isEmpty();
        } else if (input.raw() == null && change == null && key != null && !key.isBlank()) {
            // a tombstone of a document never indexed: nothing to delete, nothing wrong
            assertThat(dead).isEmpty();
        } else {
            assertThat(forRandom).as("nothing indexed for a bad record").isEmpty();
            assertThat(dead).as("one dead letter for a bad record").hasSize(1);
            assertThat(dead.get(0).getErrorMessage()).isNotBlank();
        }
        assertThat(rig.pending().approximateNumEntries()).isZero();
    }

    private static boolean isValid(String key, DocumentChange change) {
        if (change == null) {
            return false;
        }
        String id = change.getDocumentId();
        return !id.isBlank() && id.equals(key) && change.getVersion() >= 0
                && change.getOperation() != Operation.UNKNOWN
                && (change.getBody() == null || change.getBody().length() <= MAX_BODY_CHARS);
    }

    private static DocumentChange withUniqueId(DocumentChange change, String unique) {
        if (change.getDocumentId().isBlank()) {
            return change;
        }
        return DocumentChange.newBuilder(change).setDocumentId(unique + change.getDocumentId()).build();
    }

    @Provide
    Arbitrary<Input> inputs() {
        Arbitrary<Input> changes = Combinators.combine(ids(), keyChoice(), Arbitraries.of(Operation.values()),
                        Arbitraries.longs().between(-3, Long.MAX_VALUE), text(0, 40).injectNull(0.3),
                        bodies(), Arbitraries.maps(text(1, 10), text(0, 20)).ofMaxSize(3), text(0, 12).injectNull(0.5))
                .as((id, keyChoice, operation, version, title, body, metadata, tenant) -> {
                    DocumentChange change = DocumentChange.newBuilder().setDocumentId(id).setOperation(operation)
                            .setVersion(version).setTitle(title)
                            .setBody(operation == Operation.DELETE ? null : body).setMetadata(metadata)
                            .setTenant(tenant).setEventTime(Instant.parse("2026-11-22T02:59:00Z")).build();
                    String key = switch (keyChoice) {
                        case 0 -> id;
                        case 1 -> null;
                        default -> "other-" + keyChoice;
                    };
                    return new Input(key, change, null);
                });
        Arbitrary<Input> tombstones = ids().map(id -> new Input(id, null, null));
        Arbitrary<Input> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(64)
                .map(bytes -> new Input("garbage", null, bytes));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, changes), net.jqwik.api.Tuple.of(1, tombstones),
                net.jqwik.api.Tuple.of(1, garbage));
    }

    /** The key: mostly the id (0), sometimes none (1) or another one. */
    private static Arbitrary<Integer> keyChoice() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(2, 9)));
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.oneOf(text(1, 30), Arbitraries.of("", " ", "\t"), text(200, 400));
    }

    private static Arbitrary<String> bodies() {
        return Arbitraries.oneOf(text(0, 300), text(MAX_BODY_CHARS - 5, MAX_BODY_CHARS + 5),
                Arbitraries.strings().withChars('x', ' ').ofMinLength(MAX_BODY_CHARS + 1).ofMaxLength(5_000),
                Arbitraries.just("👩‍👩‍👧‍👦🇳🇴 e\u0301 中文 עברית \uD83D\uDE00 tail"));
    }

    /** Any Unicode: letters, marks, emoji (surrogate pairs), right-to-left, CJK, controls, whitespace. */
    private static Arbitrary<String> text(int min, int max) {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().whitespace().ofMinLength(min).ofMaxLength(max),
                Arbitraries.strings().all().ofMinLength(min).ofMaxLength(max),
                Arbitraries.strings().withChars("é中文עבר\u0301 \u200d.,!?").withCharRange('\uD83D', '\uD83D')
                        .withCharRange('\uDE00', '\uDE4F').ofMinLength(min).ofMaxLength(max));
    }
}
