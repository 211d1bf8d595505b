package org.modelbench.app.cli;

import java.util.concurrent.Callable;
import org.modelbench.api.provenance.ComponentInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code modelbench plugins}: every provider with its kind, version, module and jar. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every model family, layer type and dataset provider, with version, module and jar.")
final class PluginsCommand implements Callable<Integer> {
    @ParentCommand
    ModelbenchCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var registry = root.registry();
        TextTable table = new TextTable("KIND", "ID", "VERSION", "MODULE", "JAR");
        for (ComponentInfo c : registry.components()) {
            table.row(c.kind(), c.id(), c.version(), c.module(), c.location());
        }
        out.print(table.render());
        out.printf("%d providers%s%n", table.size(),
                registry.warnings().isEmpty() ? "" : ", " + registry.warnings().size() + " plugin jar(s) skipped");
        out.flush();
        return ExitCodes.OK;
    }
}
