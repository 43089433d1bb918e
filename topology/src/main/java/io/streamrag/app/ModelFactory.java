package io.streamrag.app;

import io.streamrag.app.config.ModelSettings;
import io.streamrag.app.config.ModelSource;
import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.checkpoint.ModelLocator;
import io.streamrag.inference.checkpoint.hub.HubSettings;
import io.streamrag.inference.checkpoint.hub.LoggedProgress;
import io.streamrag.inference.device.ComputeDevice;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.inference.rerank.CrossEncoder;
import java.io.IOException;
import java.util.Objects;

/**
 * Opens the configured models: the one place that turns {@code models.*} into embedders, generators and
 * rerankers on the configured device, resolving {@code hf://} names through the hub of {@code models.hub.*}.
 * Roles, {@code eval} and {@code reindex} all open models here, so they name and load them alike.
 */
public final class ModelFactory {

    private final ModelSettings models;
    private final ModelLocator locator;

    public ModelFactory(ModelSettings models) {
        this(models, models.hub());
    }

    private ModelFactory(ModelSettings models, HubSettings hub) {
        this.models = Objects.requireNonNull(models, "models");
        this.locator = new ModelLocator(hub, new LoggedProgress());
    }

    /** The same models with another retry policy for hub look-ups (start-up checks fail fast). */
    public ModelFactory withHubRetry(HubSettings.RetryPolicy retry) {
        return new ModelFactory(models, models.hub().withRetry(retry));
    }

    /** Finds (downloading {@code hf://} ones into the cache) the folder of a model named in the configuration. */
    public ModelLocator locator() {
        return locator;
    }

    /**
     * What {@link Embedders#open} takes for {@code models.embedder} (or another embedder named like it): the bundled
     * model's name, or the resolved folder. Equal specs mean the same model, so shared embedders are keyed by it.
     */
    public String embedderSpec(String name) throws IOException {
        return name.equals(Embedders.DEFAULT) ? Embedders.DEFAULT : locator.resolve(name).toString();
    }

    /** The embedder named by {@code spec} ({@link #embedderSpec}), on the configured device and precision. */
    public TextEmbedder openEmbedder(String spec, EmbedderOptions options) throws IOException {
        return Embedders.open(spec, options.withDevice(models.deviceSettings()));
    }

    /** {@code models.embedder}, on the configured device and precision, without a meter registry. */
    public TextEmbedder openEmbedder() throws IOException {
        return openEmbedder(embedderSpec(models.embedder().spec()), EmbedderOptions.defaults());
    }

    /** The BART-style generator of {@code models.generator}, which must be set. */
    public TextGenerator openGenerator() throws IOException {
        ModelSource source = models.generator().orElseThrow(
                () -> new IllegalStateException("models.generator is not set"));
        ComputeDevice device = models.device();
        device.requireAvailable();
        return BartGenerator.open(locator.resolve(source.spec()), models.deviceSettings());
    }

    /** The cross-encoder of {@code models.reranker}, which must be set. */
    public CrossEncoder openReranker() throws IOException {
        ModelSource source = models.reranker().orElseThrow(
                () -> new IllegalStateException("models.reranker is not set"));
        return CrossEncoder.load(locator.resolve(source.spec()), models.deviceSettings());
    }
}
