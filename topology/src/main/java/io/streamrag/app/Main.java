package io.streamrag.app;

import io.streamrag.app.config.ConfigException;
import io.streamrag.cli.AnswersCommand;
import io.streamrag.cli.AskCommand;
import io.streamrag.cli.ConfigCommand;
import io.streamrag.cli.EvalCommand;
import io.streamrag.cli.LoadCommand;
import io.streamrag.cli.ReindexCommand;
import io.streamrag.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code streamrag <command>}. Each subcommand is its own class; register new ones in {@link #commandLine()}.
 * Exit codes: 0 done, 1 failure while running, 2 bad command line or configuration.
 *
 * <p>A failure prints one line naming its cause (and, for start-up problems, the setting to change); the stack trace
 * only with {@code --verbose}. Logs go to stderr, so a command's stdout is its output alone ({@code ask --json | jq}).
 */
@Command(name = "streamrag", mixinStandardHelpOptions = true, version = "streamrag 0.1.0",
        description = "Streaming RAG for Kafka: index document changes, answer questions from them.")
public final class Main implements Runnable {

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print the stack trace of a failure, not just its one-line reason.")
    boolean verbose;

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
                .addSubcommand(new LoadCommand())
                .addSubcommand(new AskCommand())
                .addSubcommand(new AnswersCommand())
                .addSubcommand(new ReindexCommand())
                .addSubcommand(new EvalCommand())
                .addSubcommand(new CommandLine.HelpCommand());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            boolean verbose = false;
            for (CommandLine.ParseResult level = parseResult; level != null; level = level.subcommand()) {
                verbose |= level.hasMatchedOption("--verbose");
            }
            if (exception instanceof ConfigException) {
                cmd.getErr().println(exception.getMessage());
            } else {
                cmd.getErr().println(FailureLine.of(cmd.getCommandName(), exception, verbose));
            }
            if (verbose) {
                exception.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return exception instanceof ConfigException ? 2 : 1;
        });
        return commandLine;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
