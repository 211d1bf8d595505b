package org.modelbench.api.spi;

import java.io.PrintWriter;
import java.util.List;

/**
 * A top-level command that a plugin adds to the {@code modelbench} command line, e.g.
 * {@code modelbench onnx inspect FILE}. {@link #id()} is the command name.
 *
 * <p>The command parses its own arguments (including {@code --help}). It returns its exit code:
 * 0 ok, 1 failure, 2 bad input or usage, 3 a comparison that found differences. It may instead
 * throw {@link org.modelbench.api.InvalidInputException} (reported in one line, exit 2) or another
 * {@link org.modelbench.api.ModelbenchException} (one line, exit 1).
 */
public interface CommandProvider extends Provider {

    /**
     * Runs the command.
     *
     * @param args    the arguments after the command name
     * @param out     standard output
     * @param err     standard error
     * @param context the catalogue of every loaded provider (e.g. to read a saved model of any family)
     * @return the exit code
     */
    int execute(List<String> args, PrintWriter out, PrintWriter err, ProviderContext context);
}
