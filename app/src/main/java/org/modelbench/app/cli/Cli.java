package org.modelbench.app.cli;

import java.io.PrintWriter;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;
import picocli.CommandLine;

/** Builds the command line with the platform's error handling. */
public final class Cli {
    private Cli() {
    }

    /** The {@code modelbench} command line on {@code System.out}/{@code System.err}. */
    public static CommandLine commandLine() {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /**
     * The {@code modelbench} command line writing to {@code out} and {@code err} (for tests).
     * A user mistake ({@link InvalidInputException}) prints one line and exits 2; another
     * {@link ModelbenchException} prints one line and exits 1; anything else is a bug: its stack
     * trace is printed and the exit code is 1. Set {@code MODELBENCH_DEBUG=1} for stack traces always.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ModelbenchCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> e instanceof InvalidInputException ? ExitCodes.BAD_INPUT
                : ExitCodes.FAILURE);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = "1".equals(System.getenv("MODELBENCH_DEBUG"));
            PrintWriter w = commandLine.getErr();
            if (e instanceof InvalidInputException) {
                w.println("modelbench: error: " + e.getMessage());
                if (debug) {
                    e.printStackTrace(w);
                }
                w.flush();
                return ExitCodes.BAD_INPUT;
            }
            if (e instanceof ModelbenchException) {
                w.println("modelbench: failed: " + e.getMessage());
                if (debug) {
                    e.printStackTrace(w);
                }
                w.flush();
                return ExitCodes.FAILURE;
            }
            w.println("modelbench: internal error (please report it): " + e);
            e.printStackTrace(w);
            w.flush();
            return ExitCodes.FAILURE;
        });
        return cli;
    }
}
