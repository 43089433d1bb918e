package io.streamrag.inference.embed;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.streamrag.inference.device.DeviceSettings;
import java.nio.file.Path;

/**
 * How to open an embedder. Null {@code pooling}, {@code normalize} or {@code maxTokens} mean "as the model folder
 * says" (sentence-transformers files, else mean pooling, no normalisation, {@code max_position_embeddings}).
 *
 * @param device        where the model runs and in which precision
 * @param pooling       overrides the model's pooling
 * @param normalize     overrides whether vectors are L2-normalised
 * @param maxTokens     overrides the longest input (special tokens included); longer texts are truncated
 * @param cacheDirectory where the bundled default model is unpacked
 * @param onnxThreads   ONNX Runtime intra-op threads; 0 leaves ONNX Runtime's default (all cores)
 * @param meterRegistry where truncation counts and timings go
 */
public record EmbedderOptions(DeviceSettings device, Pooling pooling, Boolean normalize, Integer maxTokens,
                              Path cacheDirectory, int onnxThreads, MeterRegistry meterRegistry) {

    public EmbedderOptions {
        if (device == null || cacheDirectory == null || meterRegistry == null) {
            throw new IllegalArgumentException("device, cacheDirectory and meterRegistry are required");
        }
        if (maxTokens != null && maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be at least 2 ([CLS] and [SEP]), got " + maxTokens);
        }
        if (onnxThreads < 0) {
            throw new IllegalArgumentException("onnxThreads must be >= 0, got " + onnxThreads);
        }
    }

    public static EmbedderOptions defaults() {
        return new EmbedderOptions(DeviceSettings.CPU_FP32, null, null, null,
                Path.of(System.getProperty("user.home"), ".cache", "streamrag", "models"), 0, Metrics.globalRegistry);
    }

    /** The configured pooling, else what the model folder says. */
    public Pooling poolingOr(Pooling fromModel) {
        return pooling != null ? pooling : fromModel;
    }

    /** The configured normalisation, else what the model folder says. */
    public boolean normalizeOr(boolean fromModel) {
        return normalize != null ? normalize : fromModel;
    }

    public EmbedderOptions withDevice(DeviceSettings value) {
        return new EmbedderOptions(value, pooling, normalize, maxTokens, cacheDirectory, onnxThreads, meterRegistry);
    }

    public EmbedderOptions withPooling(Pooling value) {
        return new EmbedderOptions(device, value, normalize, maxTokens, cacheDirectory, onnxThreads, meterRegistry);
    }

    public EmbedderOptions withNormalize(Boolean value) {
        return new EmbedderOptions(device, pooling, value, maxTokens, cacheDirectory, onnxThreads, meterRegistry);
    }

    public EmbedderOptions withMaxTokens(Integer value) {
        return new EmbedderOptions(device, pooling, normalize, value, cacheDirectory, onnxThreads, meterRegistry);
    }

    public EmbedderOptions withCacheDirectory(Path value) {
        return new EmbedderOptions(device, pooling, normalize, maxTokens, value, onnxThreads, meterRegistry);
    }

    public EmbedderOptions withOnnxThreads(int value) {
        return new EmbedderOptions(device, pooling, normalize, maxTokens, cacheDirectory, value, meterRegistry);
    }

    public EmbedderOptions withMeterRegistry(MeterRegistry value) {
        return new EmbedderOptions(device, pooling, normalize, maxTokens, cacheDirectory, onnxThreads, value);
    }
}
