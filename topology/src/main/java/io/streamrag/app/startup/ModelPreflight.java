package io.streamrag.app.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.app.ModelFactory;
import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigCatalog;
import io.streamrag.app.config.ModelSource;
import io.streamrag.inference.checkpoint.ModelLocator;
import io.streamrag.inference.checkpoint.hub.HubSettings;

/**
 * Resolves the configured models (downloading {@code hf://} ones into the Hugging Face cache) and checks they can
 * serve this configuration, before the broker or any role starts. The roles later open the same folders from the
 * cache. Without it an unreachable hub surfaced 40 s into start-up as a stack trace from a role, and a generator
 * whose decoder cannot hold {@code qa.max.new.tokens} only showed as every answer being {@code ERROR}.
 */
public final class ModelPreflight {

    /** Hub look-ups before start-up retry briefly: a newcomer without network should hear so in seconds. */
    private static final HubSettings.RetryPolicy PREFLIGHT_RETRY =
            new HubSettings.RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(1));
    /** BART's default when a config.json does not say (as {@code BartConfig}). */
    private static final int DEFAULT_MAX_POSITIONS = 1024;

    private final ModelLocator locator;

    public ModelPreflight(ModelLocator locator) {
        this.locator = locator;
    }

    /** With the configuration's hub ({@code models.hub.*}), retrying briefly. */
    public static ModelPreflight of(AppConfig config) {
        return new ModelPreflight(new ModelFactory(config.models()).withHubRetry(PREFLIGHT_RETRY).locator());
    }

    /** @throws StartupException naming the setting, the model and what is wrong with it */
    public void check(AppConfig config) {
        ModelSource embedder = config.models().embedder();
        if (!(embedder instanceof ModelSource.Bundled)) {
            resolve(ConfigCatalog.MODELS_EMBEDDER, embedder);
        }
        Optional<ModelSource> generator = config.models().generator();
        if (generator.isPresent()) {
            Path folder = resolve(ConfigCatalog.MODELS_GENERATOR, generator.get());
            requireRoomForAnswers(generator.get(), folder, config.qa().maxNewTokens());
        }
    }

    private Path resolve(String key, ModelSource source) {
        try {
            return locator.resolve(source.spec());
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot load " + key + "=" + source.spec() + ": " + describe(e), e);
        }
    }

    /**
     * The decoder holds the start token plus every generated token, each needing a position embedding (what
     * {@code BartGenerator} enforces per answer, too late to be useful).
     */
    static void requireRoomForAnswers(ModelSource generator, Path folder, int maxNewTokens) {
        int maxPositions = maxPositionEmbeddings(generator, folder);
        if (maxNewTokens + 1 > maxPositions) {
            throw new StartupException(ConfigCatalog.MODELS_GENERATOR + "=" + generator.spec()
                    + " has max_position_embeddings " + maxPositions + ", too small for "
                    + ConfigCatalog.QA_MAX_NEW_TOKENS + "=" + maxNewTokens + " (plus the decoder start token): set "
                    + ConfigCatalog.QA_MAX_NEW_TOKENS + " to at most " + (maxPositions - 1));
        }
    }

    private static int maxPositionEmbeddings(ModelSource generator, Path folder) {
        try {
            JsonNode config = new ObjectMapper().readTree(Files.readString(folder.resolve("config.json")));
            return config.path("max_position_embeddings").asInt(DEFAULT_MAX_POSITIONS);
        } catch (IOException e) {
            throw new StartupException("cannot read config.json of " + ConfigCatalog.MODELS_GENERATOR + "="
                    + generator.spec() + " in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The innermost message that says something, e.g. "huggingface.co: Name or service not known". */
    static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String outer = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (cause == e) {
            return outer;
        }
        String inner = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return outer.contains(inner) ? outer : outer + " (" + inner + ")";
    }
}
