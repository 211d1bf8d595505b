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
     * @param epochs epoch numbers (the x values)
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

    /** Accuracy against the attack radius: one line per model (x = epsilon in pixel space). */
    static byte[] robustness(String title, List<Line> lines) {
        XYChart chart = new XYChartBuilder().width(900).height(480).title(title).xAxisTitle("epsilon (L-infinity, "
                + "pixels in [0, 1])").yAxisTitle("accuracy").build();
        chart.getStyler().setXAxisDecimalPattern("0.00").setYAxisDecimalPattern("0.00");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
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

    /**
     * A critical-difference diagram (Demšar 2006, Fig. 1): the average ranks on an axis from 1 (left,
     * best) to k, each model's name pointing at its rank, the Nemenyi critical difference as a bar
     * above the axis, and thick bars joining the groups of models whose ranks differ by less than it.
     */
    static byte[] criticalDifference(String title, List<String> models, double[] averageRanks,
                                     double criticalDifference, List<List<String>> groups) {
        int k = models.size();
        Integer[] order = new Integer[k];
        java.util.Arrays.setAll(order, i -> i);
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble((Integer i) -> averageRanks[i]));
        int half = (k + 1) / 2;
        int width = 900;
        int left = 250;
        int right = width - 250;
        int axisY = 110;
        int height = axisY + 40 + 14 * groups.size() + 26 * half + 30;
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                    java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 16));
            g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 26);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 13));
            java.util.function.DoubleToIntFunction x = r -> (int) Math.round(left + (r - 1) * (right - left)
                    / Math.max(1, k - 1.0));
            g.setStroke(new java.awt.BasicStroke(1.5f));
            g.drawLine(left, axisY, right, axisY);
            for (int r = 1; r <= k; r++) {
                g.drawLine(x.applyAsInt(r), axisY, x.applyAsInt(r), axisY - 8);
                String label = String.valueOf(r);
                g.drawString(label, x.applyAsInt(r) - g.getFontMetrics().stringWidth(label) / 2, axisY - 12);
            }
            if (!Double.isNaN(criticalDifference)) {
                int cdEnd = x.applyAsInt(Math.min(k, 1 + criticalDifference));
                g.setStroke(new java.awt.BasicStroke(2.5f));
                g.drawLine(x.applyAsInt(1), 56, cdEnd, 56);
                g.drawLine(x.applyAsInt(1), 50, x.applyAsInt(1), 62);
                g.drawLine(cdEnd, 50, cdEnd, 62);
                String cd = String.format("CD = %.3f", criticalDifference);
                g.drawString(cd, (x.applyAsInt(1) + cdEnd - g.getFontMetrics().stringWidth(cd)) / 2, 46);
            }
            int groupsBottom = axisY + 14 + 14 * groups.size();
            g.setStroke(new java.awt.BasicStroke(1.2f));
            for (int i = 0; i < k; i++) {
                int m = order[i];
                boolean onLeft = i < half;
                int row = onLeft ? i : k - 1 - i;
                int y = groupsBottom + 20 + 26 * row;
                int at = x.applyAsInt(averageRanks[m]);
                g.drawLine(at, axisY, at, y);
                int end = onLeft ? left - 20 : right + 20;
                g.drawLine(at, y, end, y);
                String label = String.format("%s (%.2f)", models.get(m), averageRanks[m]);
                int w = g.getFontMetrics().stringWidth(label);
                g.drawString(label, onLeft ? end - 6 - w : end + 6, y + 5);
            }
            g.setStroke(new java.awt.BasicStroke(5f, java.awt.BasicStroke.CAP_ROUND, java.awt.BasicStroke.JOIN_ROUND));
            g.setColor(new Color(0x335577));
            for (int j = 0; j < groups.size(); j++) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (String id : groups.get(j)) {
                    double r = averageRanks[models.indexOf(id)];
                    lo = Math.min(lo, r);
                    hi = Math.max(hi, r);
                }
                int y = axisY + 16 + 14 * j;
                g.drawLine(x.applyAsInt(lo) - 4, y, x.applyAsInt(hi) + 4, y);
            }
        } finally {
            g.dispose();
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new ModelbenchException("cannot draw chart '" + title + "': " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new ModelbenchException("cannot draw chart '" + chart.getTitle() + "': " + e.getMessage(), e);
        }
    }
}
