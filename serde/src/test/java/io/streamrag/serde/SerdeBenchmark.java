package io.streamrag.serde;

import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Serde cost per record for each sample record type once the registry answers are cached (the steady state: no
 * registry call per record). Not a test; prints a table. Run:
 * {@code java -cp serde/target/classes:serde/target/test-classes:<test classpath> io.streamrag.serde.SerdeBenchmark}
 * (the classpath from {@code ./mvnw -o -q -pl serde test-compile dependency:build-classpath -Dmdep.includeScope=test
 * -Dmdep.outputFile=/tmp/serde-cp.txt})
 */
public final class SerdeBenchmark {

    private static final int WARMUP = 20_000;
    private static final int MEASURED = 100_000;

    private SerdeBenchmark() {
    }

    public static void main(String[] args) {
        System.out.println("| record | bytes | serialize µs/record | deserialize µs/record |");
        System.out.println("|---|---:|---:|---:|");
        for (SpecificRecord sample : SerdeSamples.all()) {
            measure(sample);
        }
        MockSchemaRegistry.dropScope("benchmark");
    }

    private static <T extends SpecificRecord> void measure(T sample) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) sample.getClass();
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of(RegistryClientConfig.URL, "mock://benchmark"), false);
        String topic = "bench-" + type.getSimpleName();
        byte[] bytes = serde.serializer().serialize(topic, sample);
        long sink = 0;
        for (int i = 0; i < WARMUP; i++) {
            sink += serde.serializer().serialize(topic, sample).length;
            sink += serde.deserializer().deserialize(topic, bytes).hashCode() & 1;
        }
        long start = System.nanoTime();
        for (int i = 0; i < MEASURED; i++) {
            sink += serde.serializer().serialize(topic, sample).length;
        }
        long serialize = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < MEASURED; i++) {
            sink += serde.deserializer().deserialize(topic, bytes).hashCode() & 1;
        }
        long deserialize = System.nanoTime() - start;
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", type.getSimpleName(), bytes.length,
                serialize / 1e3 / MEASURED, deserialize / 1e3 / MEASURED);
        if (sink == 42) {
            System.out.println(); // keeps the loops from being optimised away
        }
    }
}
