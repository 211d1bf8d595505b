package org.modelbench.app.report;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.modelbench.api.ModelbenchException;

/** The report's charts, drawn with XChart and encoded as PNG. */
final class Plots {
    private Plots() {
    }

    /**
     * One line of a learning-curve chart.
     *
     * @param name   the series name (the model id)
     * @param epochs epoch numbers
     * @param values the mean value per epoch across seeds
     */
    record Line(String name, double[] epochs, double[] values) {
    }

    /** Mean accuracy per model with standard-deviation error bars. */
    static byte[] accuracy(List<String> models, List<Double> means, List<Double> stds) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480).title("Test accuracy per model "
                + "(mean, error bars: std across seeds)").xAxisTitle("model").yAxisTitle("accuracy").build();
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setLegendVisible(false).setChartBackgroundColor(Color.WHITE);
        double min = means.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        chart.getStyler().setYAxisMin(Math.max(0, Math.floor((min - 0.05) * 20) / 20)).setYAxisMax(1.0);
        chart.addSeries("accuracy", models, means, stds);
        return png(chart);
    }

    /** A learning-curve chart: one line per model. */
    static byte[] curves(String title, String yAxis, List<Line> lines) {
        XYChart chart = new XYChartBuilder().width(900).height(480).title(title).xAxisTitle("epoch")
                .yAxisTitle(yAxis).build();
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setChartBackgroundColor(Color.WHITE);
        for (Line line : lines) {
            chart.addSeries(line.name(), line.epochs(), line.values());
        }
        return png(chart);
    }

    /** A confusion matrix as a heat map with counts: x = predicted class, y = true class. */
    static byte[] confusion(String title, List<String> classNames, long[][] counts) {
        HeatMapChart chart = new HeatMapChartBuilder().width(560).height(520).title(title)
                .xAxisTitle("predicted").yAxisTitle("true").build();
        chart.getStyler().setShowValue(true).setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x6BAED6),
            new Color(0x08306B)}).setValueFontColor(Color.BLACK).setHeatMapValueDecimalPattern("#");
        chart.getStyler().setLegendVisible(false).setChartBackgroundColor(Color.WHITE);
        List<Number[]> cells = new ArrayList<>();
        long max = 1;
        for (int t = 0; t < counts.length; t++) {
            for (int p = 0; p < counts[t].length; p++) {
                cells.add(new Number[] {p, counts.length - 1 - t, counts[t][p]});
                max = Math.max(max, counts[t][p]);
            }
        }
        chart.getStyler().setMin(0).setMax(max);
        List<String> reversed = new ArrayList<>(classNames);
        java.util.Collections.reverse(reversed);
        chart.addSeries("confusion", classNames, reversed, cells);
        return png(chart);
    }

    private static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new ModelbenchException("cannot draw chart '" + chart.getTitle() + "': " + e.getMessage(), e);
        }
    }
}
