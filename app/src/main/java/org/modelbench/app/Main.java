package org.modelbench.app;

import org.modelbench.app.cli.Cli;

/** Runs the {@code modelbench} command line and exits with its code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(args));
    }
}
