package io.streamrag.contracts.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released contract (the baseline under compat/baseline) against today's schema of the same name: today's
 * readers read released data (BACKWARD), released readers read today's data (FORWARD), and a populated record
 * survives the trip both ways, through the generated class too.
 */
class ContractCompatibilityTest {

    private static final ContractSchemas CURRENT = ContractSchemas.load(ContractSchemas.CURRENT);
    private static final ContractSchemas BASELINE = ContractSchemas.load(ContractSchemas.BASELINE);

    static Stream<String> releasedContracts() {
        return BASELINE.byName().keySet().stream();
    }

    @Test
    void theBaselineHoldsTheReleasedContracts() {
        assertThat(BASELINE.byName().keySet()).contains(
                "io.streamrag.contracts.DocumentChange", "io.streamrag.contracts.Question",
                "io.streamrag.contracts.Answer", "io.streamrag.contracts.DeadLetter",
                "io.streamrag.contracts.IndexUpdate", "io.streamrag.contracts.SourceInfo",
                "io.streamrag.contracts.Operation", "io.streamrag.contracts.AnswerStatus");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedContracts")
    void isStillAContract(String name) {
        assertThat(CURRENT.byName()).as("a released contract may not disappear").containsKey(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedContracts")
    void isBackwardAndForwardCompatibleWithItsReleasedSchema(String name) {
        assertThat(ContractCompatibility.problems(CURRENT.get(name), BASELINE.get(name))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedContracts")
    void aRecordWrittenTodayIsReadByReleasedReadersAndBack(String name) {
        Schema current = CURRENT.get(name);
        Schema baseline = BASELINE.get(name);
        Object today = SampleRecords.sample(current, name);

        Object asReleased = ContractCompatibility.writeThenRead(today, current, baseline);
        Object back = ContractCompatibility.writeThenRead(asReleased, baseline, current);

        Object expected = today instanceof GenericData.Record record
                ? ContractCompatibility.withDefaultsForFieldsMissingIn(record, baseline) : today;
        assertThat(ContractCompatibility.encode(back, current)).isEqualTo(ContractCompatibility.encode(expected, current));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedContracts")
    void aReleasedRecordIsReadByTodaysGeneratedClassAndBack(String name) throws Exception {
        Schema baseline = BASELINE.get(name);
        Class<?> type = SpecificData.get().getClass(CURRENT.get(name));
        assertThat(type).as("generated class for " + name).isNotNull();
        Schema classSchema = SpecificData.get().getSchema(type);
        Object released = SampleRecords.sample(baseline, name);
        byte[] releasedBytes = ContractCompatibility.encode(released, baseline);

        Object asClass = ContractCompatibility.read(releasedBytes, baseline,
                new SpecificDatumReader<>(baseline, classSchema, SpecificData.getForClass(type)));
        assertThat(asClass).isInstanceOf(type);
        byte[] classBytes = encodeSpecific(asClass, classSchema, type);
        Object back = ContractCompatibility.writeThenRead(
                ContractCompatibility.read(classBytes, classSchema,
                        new org.apache.avro.generic.GenericDatumReader<>(classSchema, classSchema)),
                classSchema, baseline);

        assertThat(ContractCompatibility.encode(back, baseline)).isEqualTo(releasedBytes);
    }

    private static byte[] encodeSpecific(Object datum, Schema schema, Class<?> type) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<Object>(schema, SpecificData.getForClass(type)).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    // --- the check catches breaks: evolved examples of DocumentChange ---

    private static Schema example(String file) {
        return BASELINE.parseWithSharedTypes("compat/examples/" + file);
    }

    private static final Schema RELEASED_DOCUMENT_CHANGE = BASELINE.get("io.streamrag.contracts.DocumentChange");

    @Test
    void aNewFieldWithoutADefaultIsReportedAsBreakingBackward() {
        assertThat(ContractCompatibility.problems(example("DocumentChange-added-required-field.avsc"), RELEASED_DOCUMENT_CHANGE))
                .singleElement().asString()
                .startsWith("BACKWARD")
                .contains("language");
    }

    @Test
    void removingAFieldReleasedReadersNeedIsReportedAsBreakingForward() {
        assertThat(ContractCompatibility.problems(example("DocumentChange-removed-required-field.avsc"), RELEASED_DOCUMENT_CHANGE))
                .singleElement().asString()
                .startsWith("FORWARD")
                .contains("documentId");
    }

    @Test
    void narrowingAFieldTypeIsReportedAsBreakingBackward() {
        assertThat(ContractCompatibility.problems(example("DocumentChange-changed-field-type.avsc"), RELEASED_DOCUMENT_CHANGE))
                .singleElement().asString()
                .startsWith("BACKWARD")
                .contains("version");
    }

    @Test
    void aNewOptionalFieldIsCompatibleAndTakesItsDefaultFromReleasedData() {
        Schema evolved = example("DocumentChange-added-optional-field.avsc");
        assertThat(ContractCompatibility.problems(evolved, RELEASED_DOCUMENT_CHANGE)).isEmpty();

        Object released = SampleRecords.sample(RELEASED_DOCUMENT_CHANGE, "released");
        GenericData.Record read = (GenericData.Record) ContractCompatibility.writeThenRead(
                released, RELEASED_DOCUMENT_CHANGE, evolved);

        assertThat(read.get("language")).isNull();
        assertThat(read.get("documentId").toString()).isEqualTo("documentId-text");
    }
}
