package io.streamrag.inference.embed;

import java.nio.file.Path;

/** One unpack folder for the bundled model shared by all tests of a build (unpacking copies 90 MB). */
final class ModelCache {
    private ModelCache() {
    }

    static Path directory() {
        return Path.of("target", "model-cache").toAbsolutePath();
    }
}
