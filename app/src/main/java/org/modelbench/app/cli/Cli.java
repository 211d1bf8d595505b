package org.modelbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.Printable;
import org.modelbench.api.spi.CommandProvider;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.plugins.Registered;
import org.modelbench.app.run.OutOfHeap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** Builds and runs the command line with the platform's error handling. */
public final class Cli {
    private Cli() {
    }

    /** Runs {@code modelbench args} on {@code System.out}/{@code System.err}; returns the exit code. */
    public static int execute(String... args) {
        return execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /**
     * Runs {@code modelbench args}, writing to {@code out} and {@code err}; returns the exit code and
     * never exits the JVM. A user mistake ({@link InvalidInputException}) prints one line and returns
     * 2; another {@link ModelbenchException} prints one line and returns 1; anything else is a bug:
     * its stack trace is printed and the code is 1. {@code MODELBENCH_DEBUG=1} prints stack traces
     * always.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        PluginRegistry registry;
        try {
            registry = PluginRegistry.load(pluginsDirectory(args), w -> {
                err.println("modelbench: warning: " + w);
                err.flush();
            });
        } catch (RuntimeException e) {
            return report(e, err);
        }
        try {
            return commandLine(registry, out, err).execute(args);
        } catch (OutOfMemoryError e) {
            // anywhere else (a trial's training and a dataset's loading say which): one line, no stack trace
            err.println("modelbench: failed: " + OutOfHeap.message("modelbench" + (args.length > 0 ? " " + args[0] : "")));
            if ("1".equals(System.getenv("MODELBENCH_DEBUG"))) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.FAILURE;
        }
    }

    /** The command line over an already loaded registry, with the plugins' commands added. */
    private static CommandLine commandLine(PluginRegistry registry, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ModelbenchCommand(registry));
        for (Registered<CommandProvider> command : registry.commands()) {
            cli.addSubcommand(command.provider().id(), pluginCommand(command.provider(), out, err, registry));
        }
        // "--plugins-dir plugins plugins": an option's value may be a subcommand's name
        cli.setAllowSubcommandsAsOptionParameters(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> e instanceof InvalidInputException || e instanceof CommandLine.ParameterException
                ? ExitCodes.BAD_INPUT
                : ExitCodes.FAILURE);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("modelbench: error: " + oneLine(e.getMessage()) + " (see '"
                    + failed.getCommandSpec().qualifiedName() + " --help')");
            failed.getErr().flush();
            return ExitCodes.BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine.getErr()));
        return cli;
    }

    private static CommandLine pluginCommand(CommandProvider provider, PrintWriter out, PrintWriter err,
                                             PluginRegistry registry) {
        PositionalParamSpec rest = PositionalParamSpec.builder().index("0..*").arity("0..*").paramLabel("ARGS")
                .type(List.class).auxiliaryTypes(String.class).description("Arguments; see --help.").build();
        Callable<Integer> run = () -> provider.execute(rest.getValue() == null ? List.of() : rest.getValue(), out, err,
                registry.context());
        CommandSpec spec = CommandSpec.wrapWithoutInspection(run);
        spec.addPositional(rest);
        spec.usageMessage().description(provider.description() + " (from plugin module "
                + provider.getClass().getModule().getName() + ")");
        spec.parser().unmatchedOptionsArePositionalParams(true);
        return new CommandLine(spec);
    }

    private static int report(Exception e, PrintWriter err) {
        boolean debug = "1".equals(System.getenv("MODELBENCH_DEBUG"));
        if (e instanceof InvalidInputException) {
            err.println("modelbench: error: " + oneLine(e.getMessage()));
        } else if (e instanceof ModelbenchException) {
            err.println("modelbench: failed: " + oneLine(e.getMessage()));
        } else {
            err.println("modelbench: internal error (please report it): " + e);
            debug = true;
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof InvalidInputException ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
    }

    /** The longest error message printed, in characters. */
    static final int MAX_MESSAGE = 2000;
    private static final java.util.regex.Pattern JACKSON_LOCATION = java.util.regex.Pattern.compile(
            "\\R\\s*at \\[Source: .*", java.util.regex.Pattern.DOTALL);

    /**
     * An error message as one printable line: Jackson's {@code at [Source: ...]} location line is
     * dropped, other line breaks become spaces, and text from files is escaped and cut
     * ({@link Printable}).
     */
    static String oneLine(String message) {
        String text = message == null ? "" : JACKSON_LOCATION.matcher(message).replaceAll("");
        return Printable.of(text.replaceAll("\\R", " "), MAX_MESSAGE);
    }

    /** The plugins folder named by {@code --plugins-dir} in {@code args}, else the default. */
    static Path pluginsDirectory(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--plugins-dir") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--plugins-dir=")) {
                return Path.of(args[i].substring("--plugins-dir=".length()));
            }
        }
        return PluginRegistry.defaultPluginsDirectory();
    }
}
