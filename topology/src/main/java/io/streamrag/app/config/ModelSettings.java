package io.streamrag.app.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The models and where they run.
 *
 * @param generator empty: extractive answers without a generator
 */
public record ModelSettings(
        ModelSource embedder,
        Optional<ModelSource> generator,
        Device device,
        Precision precision,
        Path cacheDir) {

    /** Weights precision. */
    public enum Precision {
        FP32, FP16, BF16;

        static Precision parse(String name) {
            for (Precision precision : values()) {
                if (precision.name().equalsIgnoreCase(name)) {
                    return precision;
                }
            }
            return null;
        }
    }

    /** {@code cpu} or {@code cuda:N}. */
    public record Device(String kind, int index) {
        public static final Device CPU = new Device("cpu", 0);

        public boolean isGpu() {
            return kind.equals("cuda");
        }

        static Device parse(String name) {
            if (name.equals("cpu")) {
                return CPU;
            }
            if (name.equals("cuda")) {
                return new Device("cuda", 0);
            }
            if (name.matches("cuda:[0-9]{1,2}")) {
                return new Device("cuda", Integer.parseInt(name.substring(5)));
            }
            return null;
        }

        @Override
        public String toString() {
            return isGpu() ? kind + ":" + index : kind;
        }
    }
}
