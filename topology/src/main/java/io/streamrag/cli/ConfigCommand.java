package io.streamrag.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.streamrag.app.config.ConfigDocs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamrag config}: validates the configuration and prints every effective setting and where it came from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Validate the configuration and print every effective setting with its origin (secrets masked).")
public final class ConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = "--write-docs", paramLabel = "FILE", hidden = true,
            description = "Regenerate the key table of CONFIG.md in FILE and exit.")
    Path docsFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (docsFile != null) {
            try {
                ConfigDocs.write(docsFile);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return 2;
            }
            return 0;
        }
        config.load();
        PrintWriter out = spec.commandLine().getOut();
        out.print(config.raw().describe());
        out.flush();
        return 0;
    }
}
