package io.streamrag.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.streamrag.app.AppRuntime;
import io.streamrag.app.Role;
import io.streamrag.app.RoleCatalog;
import io.streamrag.app.RoleTopology;
import io.streamrag.app.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamrag run}: Kafka (embedded unless configured), topics, and the chosen roles, until SIGTERM/Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the application: the embedded broker when no bootstrap servers are configured, the "
                + "topics, and the ingest and/or QA roles, until SIGTERM or Ctrl-C.")
public final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOptions config;

    @Option(names = "--role", paramLabel = "ROLE", defaultValue = "all",
            description = "ingest, qa or all (default: ${DEFAULT-VALUE}).")
    String role;

    @Spec
    CommandSpec spec;

    private final List<RoleTopology> available;

    public RunCommand() {
        this(RoleCatalog.builtIn());
    }

    /** With another set of roles than the built-in ones (tests). */
    public RunCommand(List<RoleTopology> available) {
        this.available = List.copyOf(available);
    }

    @Override
    public Integer call() throws InterruptedException {
        List<RoleTopology> selected = selectRoles();
        AppConfig appConfig = config.load();
        AppRuntime runtime = AppRuntime.create(appConfig);
        // registered before anything starts: a SIGTERM during start-up waits for it, then stops what it started
        Thread hook = new Thread(runtime::close, "streamrag-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runtime.start(selected);
        } catch (RuntimeException e) {
            removeHook(hook);
            throw e;
        }
        log.info("Running {}; stop with Ctrl-C or SIGTERM", selected.isEmpty() ? "with no roles"
                : selected.stream().map(r -> r.role().cliName()).collect(Collectors.joining(", ")));
        boolean failed = runtime.awaitTermination();
        runtime.close();
        removeHook(hook);
        return failed ? 1 : 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already: nothing to remove
        }
    }

    private List<RoleTopology> selectRoles() {
        if (role.equals("all")) {
            return available;
        }
        Role wanted = Role.fromCliName(role).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--role must be ingest, qa or all, not '" + role + "'"));
        List<RoleTopology> matching = available.stream().filter(r -> r.role() == wanted).toList();
        if (matching.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "role '" + role + "' is not available in this build "
                    + "(registered: " + available.stream().map(r -> r.role().cliName()).toList() + ")");
        }
        return matching;
    }
}
