package io.streamrag.app.config;

import java.util.Optional;

import io.streamrag.inference.checkpoint.hub.HubSettings;
import io.streamrag.inference.device.ComputeDevice;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.device.Precision;

/**
 * The models and where they run.
 *
 * @param generator  empty: extractive answers without a generator
 * @param reranker   empty: no cross-encoder reranking
 * @param rerankCandidates passages the reranker scores per question
 * @param hub        where {@code hf://} models come from and are cached ({@code models.hub.*})
 * @param deviceSettings device and precision, already checked together by the inference module (bf16 refused,
 *                   fp16 for GPUs)
 */
public record ModelSettings(
        ModelSource embedder,
        Optional<ModelSource> generator,
        DeviceSettings deviceSettings,
        Optional<ModelSource> reranker,
        int rerankCandidates,
        HubSettings hub) {

    public ComputeDevice device() {
        return deviceSettings.device();
    }

    public Precision precision() {
        return deviceSettings.precision();
    }
}
