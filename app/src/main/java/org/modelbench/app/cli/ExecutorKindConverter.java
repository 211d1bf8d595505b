package org.modelbench.app.cli;

import org.modelbench.api.InvalidInputException;
import org.modelbench.app.manifest.ExecutorKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --executor local|spark|slurm}, case-insensitive. */
final class ExecutorKindConverter implements ITypeConverter<ExecutorKind> {
    @Override
    public ExecutorKind convert(String value) {
        try {
            return ExecutorKind.parse(value, "--executor");
        } catch (InvalidInputException e) {
            throw new TypeConversionException("expected local, spark or slurm, got '" + value + "'");
        }
    }
}
