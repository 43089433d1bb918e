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
        return commandLine().execute(args);
    }

    /** The command tree: {@code run}, {@code config}, {@code reindex}, {@code eval}, and the client tools {@code load}, {@code ask}, {@code answers}. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main())
                .addSubcommand(new RunCommand())
                .addSubcommand(new ConfigCommand())
                .addSubcommand(new io.streamrag.cli.LoadCommand())
                .addSubcommand(new io.streamrag.cli.AskCommand())
                .addSubcommand(new io.streamrag.cli.AnswersCommand())
                .addSubcommand(new io.streamrag.reindex.ReindexCommand())
                .addSubcommand(new io.streamrag.eval.EvalCommand())
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
}
