package org.modelbench.app.cli;

/** The exit codes of every command, also listed in {@code modelbench --help}. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A failure that is not the user's input: a bug, an I/O error, a diverged training run. */
    public static final int FAILURE = 1;
    /** Bad input or usage: a malformed file, an invalid manifest field, an unknown option. */
    public static final int BAD_INPUT = 2;
    /** {@code reproduce}: the rerun differs from the bundle. */
    public static final int DIFFERENT = 3;

    private ExitCodes() {
    }
}
