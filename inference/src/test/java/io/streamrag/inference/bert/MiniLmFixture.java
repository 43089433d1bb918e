package io.streamrag.inference.bert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The all-MiniLM-L6-v2 weights in Hugging Face layout. Uses the shared fixture folder when it can be found
 * ({@code -Dstreamrag.fixtures=...}, or {@code shared/fixtures} next to any ancestor of the working directory);
 * otherwise builds the same folder from the ONNX file inside the default-model jar, as the fixture's README says it
 * was made, so the golden tests also run where {@code /work/shared} does not exist.
 */
public final class MiniLmFixture {
    public static final String NAME = "all-MiniLM-L6-v2";
    private static Path cached;

    private MiniLmFixture() {
    }

    public static synchronized Path folder() {
        if (cached == null) {
            cached = locateShared();
            if (cached == null) {
                cached = convertFromJar();
            }
        }
        return cached;
    }

    private static Path locateShared() {
        String property = System.getProperty("streamrag.fixtures");
        if (property != null) {
            // an explicit folder wins; one without the model forces the conversion (how CI without it runs)
            Path named = Path.of(property, NAME);
            return Files.isRegularFile(named.resolve("model.safetensors")) ? named : null;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("fixtures").resolve(NAME);
            if (Files.isRegularFile(candidate.resolve("model.safetensors"))) {
                return candidate;
            }
        }
        return null;
    }

    private static Path convertFromJar() {
        Path target = Path.of("target", "test-fixtures", NAME).toAbsolutePath();
        try {
            if (!Files.isRegularFile(target.resolve("model.safetensors"))) {
                OnnxBertConverter.convertBundledMiniLm(target);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the MiniLM fixture in " + target, e);
        }
    }
}
