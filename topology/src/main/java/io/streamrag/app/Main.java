package io.streamrag.app;

import io.streamrag.app.cli.ConfigCommand;
import io.streamrag.app.cli.RunCommand;
import io.streamrag.app.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code streamrag <command>}. Each subcommand is its own class; register new ones in {@link #commandLine()}.
 * Exit codes: 0 done, 1 failure while running, 2 bad command line or configuration.
 */
@Command(name = "streamrag", mixinStandardHelpOptions = true, version = "streamrag 0.1.0",
        description = "Streaming RAG for Kafka: index document changes, answer questions from them.")
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        trustOwnAvroClasses();
        return commandLine().execute(args);
    }

    /** The command tree: the integrator adds {@code load}, {@code ask}, {@code answers}, {@code reindex} here. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main())
                .addSubcommand(new RunCommand())
                .addSubcommand(new ConfigCommand())
                .addSubcommand(new CommandLine.HelpCommand());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof ConfigException) {
                cmd.getErr().println(exception.getMessage());
                return 2;
            }
            throw exception;
        });
        return commandLine;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /**
     * Avro 1.12.2 refuses to decode classes it has not been told to trust; ours are generated into
     * {@code io.streamrag.contracts}. Must happen before Avro's first use, hence here.
     */
    private static void trustOwnAvroClasses() {
        if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
            System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.streamrag");
        }
    }
}
