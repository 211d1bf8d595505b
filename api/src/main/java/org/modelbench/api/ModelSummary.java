package org.modelbench.api;

import java.util.List;

/**
 * A Keras-style model summary: one row per layer, then the totals.
 *
 * @param name the model's name
 * @param rows one row per layer, in order
 */
public record ModelSummary(String name, List<Row> rows) {

    public ModelSummary {
        rows = List.copyOf(rows);
    }

    /**
     * One layer.
     *
     * @param name        the layer's name, e.g. {@code conv2d_1}
     * @param type        the layer type, e.g. {@code conv2d}
     * @param outputShape the per-sample output shape
     * @param parameters  the number of parameters
     * @param trainable   whether those parameters are trained (false when frozen)
     */
    public record Row(String name, String type, Shape outputShape, long parameters, boolean trainable) {
    }

    /** All parameters. */
    public long totalParameters() {
        return rows.stream().mapToLong(Row::parameters).sum();
    }

    /** Parameters of trainable layers. */
    public long trainableParameters() {
        return rows.stream().filter(Row::trainable).mapToLong(Row::parameters).sum();
    }

    /** Parameters of frozen layers. */
    public long frozenParameters() {
        return totalParameters() - trainableParameters();
    }

    /** The summary as a text table, as Keras prints it. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        String line = "-".repeat(78) + "\n";
        sb.append("Model: ").append(Printable.of(name)).append('\n').append(line);
        sb.append(String.format("%-34s %-26s %14s%n", "Layer (type)", "Output shape", "Param #"));
        sb.append("=".repeat(78)).append('\n');
        for (Row row : rows) {
            String label = Printable.of(row.name()) + " (" + Printable.of(row.type()) + ")"
                    + (row.trainable() ? "" : " [frozen]");
            sb.append(String.format("%-34s %-26s %,14d%n", label, row.outputShape(), row.parameters()));
        }
        sb.append("=".repeat(78)).append('\n');
        sb.append(String.format("Total params: %,d%n", totalParameters()));
        sb.append(String.format("Trainable params: %,d%n", trainableParameters()));
        sb.append(String.format("Non-trainable params: %,d%n", frozenParameters()));
        return sb.toString();
    }
}
