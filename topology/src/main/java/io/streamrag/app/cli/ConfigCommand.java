package io.streamrag.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamrag config}: validates the configuration and prints every effective setting and where it came from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Validate the configuration and print every effective setting with its origin (secrets masked).")
public final class ConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        config.load();
        PrintWriter out = spec.commandLine().getOut();
        out.print(config.raw().describe());
        out.flush();
        return 0;
    }
}
