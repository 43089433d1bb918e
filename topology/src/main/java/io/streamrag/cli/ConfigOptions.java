package io.streamrag.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.app.config.RawConfig;
import picocli.CommandLine.Option;

/**
 * The options every subcommand that needs the configuration shares: {@code @Mixin ConfigOptions config;} then
 * {@code config.load()}.
 */
public final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML or .properties config file (default: $STREAMRAG_CONFIG, else built-in defaults).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override one setting, e.g. --set qa.num.beams=2 (repeatable; wins over file, "
                    + "environment and -D).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** Loads and validates; throws {@code ConfigException} naming every bad key. */
    public AppConfig load() {
        ConfigLoader loader = ConfigLoader.fromProcess();
        return loader.load(file(loader), overrides);
    }

    /** The layered settings with their origins, for printing. */
    public RawConfig raw() {
        ConfigLoader loader = ConfigLoader.fromProcess();
        return loader.raw(file(loader), overrides);
    }

    private Optional<Path> file(ConfigLoader loader) {
        return Optional.ofNullable(configFile).or(loader::configFileFromEnvironment);
    }
}
