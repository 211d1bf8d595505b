package org.modelbench.app.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.modelbench.api.AtomicFiles;
import org.modelbench.app.explain.Pictures;
import org.modelbench.app.manifest.Augmentation;
import org.modelbench.app.manifest.Manifest;
import org.modelbench.app.report.ReportInput.ModelTrials;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.CurvePoint;
import org.modelbench.app.run.Lock;
import org.modelbench.app.run.RobustnessResult;
import org.modelbench.app.run.TrialMetrics;

/**
 * Writes {@code report.md}, {@code report.html} (self-contained: plots embedded as data URIs) and
 * {@code plots/*.png} of a bundle, from its files only, so a resumed run reports exactly like an
 * uninterrupted one.
 *
 * <p>Significance: for each pair of models, the corrected resampled t-test on the per-seed accuracy
 * differences decides when there are at least two seeds, McNemar's test on the test predictions
 * when there is one; {@code p < 0.05} is a win for the more accurate model, anything else a tie.
 */
public final class Report {
    /** The significance level of the win/tie/loss verdicts. */
    public static final double ALPHA = 0.05;

    private Report() {
    }

    /** Writes the report files of {@code bundle}. */
    public static void write(Bundle bundle) {
        ReportInput input = ReportInput.load(bundle);
        Manifest experiment = input.experiment();
        List<ModelTrials> models = input.models();
        List<Long> seeds = experiment.seeds();
        Document doc = new Document("modelbench report: " + experiment.name());
        String description = experiment.description();
        if (!description.isBlank()) {
            doc.paragraph(description);
        }
        long finished = models.stream().mapToLong(m -> m.metrics().size()).sum();
        doc.paragraph(String.format("Dataset **%s**; %d model(s) x %d seed(s) %s; %d of %d trials finished. "
                        + "Bundle `%s`.", experiment.dataset().id() != null ? experiment.dataset().id() : "IDX files",
                models.size(), seeds.size(), seeds, finished, (long) models.size() * seeds.size(),
                bundle.root().getFileName()));
        comparison(doc, models, experiment.metrics());
        SearchTables.write(doc, models);
        significance(doc, models);
        plots(doc, bundle, models);
        robustness(doc, bundle, models);
        augmentation(doc, bundle, models);
        insight(doc, bundle, models);
        trials(doc, models);
        provenance(doc, input.lock());
        doc.paragraph("Confidence intervals: mean ± t(0.975, n-1) * std / sqrt(n) across seeds (lower bounds clipped at 0). Pairwise tests: "
                + "corrected resampled t-test (Nadeau and Bengio 2003) on per-seed accuracy differences, McNemar's "
                + "test (exact binomial below 25 discordant rows) on each seed's test predictions; alpha = " + ALPHA + ".");
        AtomicFiles.writeString(bundle.root().resolve(Bundle.REPORT_MD), doc.markdown());
        AtomicFiles.writeString(bundle.root().resolve(Bundle.REPORT_HTML), doc.html());
    }

    private static void comparison(Document doc, List<ModelTrials> models, List<String> metrics) {
        List<String> header = new ArrayList<>(List.of("model", "family", "seeds"));
        metrics.forEach(m -> header.add(m + " (mean ± std) [95% CI]"));
        List<List<String>> rows = new ArrayList<>();
        for (ModelTrials m : models) {
            List<String> row = new ArrayList<>(List.of(m.id(), m.family(), String.valueOf(m.metrics().size())));
            for (String metric : metrics) {
                if (m.metrics().isEmpty()) {
                    row.add("-");
                    continue;
                }
                Statistics.Summary s = Statistics.Summary.of(m.values(metric));
                String f = format(metric);
                String cell = String.format(f + " ± " + f, s.mean(), s.std());
                cell += Double.isNaN(s.halfWidth()) ? " [n/a: 1 seed]" : String.format(" [" + f + ", " + f + "]",
                        Math.max(0, s.mean() - s.halfWidth()), s.mean() + s.halfWidth());
                row.add(cell);
            }
            rows.add(row);
        }
        doc.heading("Comparison").table("comparison", header, rows);
        if (!models.isEmpty() && !models.get(0).metrics().isEmpty()) {
            List<String> classes = models.get(0).metrics().get(0).classNames();
            List<String> f1Header = new ArrayList<>(List.of("model"));
            classes.forEach(c -> f1Header.add("F1 " + c));
            List<List<String>> f1Rows = new ArrayList<>();
            for (ModelTrials m : models) {
                if (m.metrics().isEmpty()) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(m.id()));
                for (int c = 0; c < classes.size(); c++) {
                    int cls = c;
                    row.add(String.format("%.3f", m.metrics().stream().mapToDouble(t -> t.f1()[cls]).average()
                            .orElse(Double.NaN)));
                }
                f1Rows.add(row);
            }
            doc.heading("Per-class F1 (mean across seeds)").table("per-class-f1", f1Header, f1Rows);
        }
    }

    private static void significance(Document doc, List<ModelTrials> models) {
        Comparison comparison = Comparison.of(models.stream().map(Report::comparable).toList(), ALPHA);
        List<List<String>> rows = new ArrayList<>();
        for (Comparison.Pair pair : comparison.pairs()) {
            List<String> mcnemar = pair.mcnemar().stream().map(m -> String.format("%s: %s (%d/%d)", m.trial(),
                    p(m.p()), m.onlyA(), m.onlyB())).toList();
            rows.add(List.of(pair.a(), pair.b(), String.format("%+.4f", pair.meanDifference()),
                    Double.isNaN(pair.tTestP()) ? "n/a (1 seed)" : p(pair.tTestP()), String.join("; ", mcnemar),
                    pair.winner() == null ? "tie" : "**" + pair.winner() + "** wins"));
        }
        doc.heading("Paired significance tests");
        if (rows.isEmpty()) {
            doc.paragraph("Fewer than two models with finished trials: nothing to compare.");
            return;
        }
        doc.table("significance", List.of("model A", "model B", "mean accuracy A - B", "corrected resampled t-test p",
                "McNemar p per seed (only A right / only B right)", "verdict"), rows);
        List<List<String>> summary = new ArrayList<>();
        comparison.record().forEach((id, wtl) -> summary.add(List.of(id, String.valueOf(wtl.wins()),
                String.valueOf(wtl.ties()), String.valueOf(wtl.losses()))));
        doc.heading("Win / tie / loss").table("win-tie-loss", List.of("model", "wins", "ties", "losses"), summary);
    }

    /** A model's finished trials as the comparison needs them. */
    static Comparison.Trials comparable(ModelTrials m) {
        List<Comparison.Seed> seeds = new ArrayList<>();
        for (int s = 0; s < m.metrics().size(); s++) {
            TrialMetrics t = m.metrics().get(s);
            seeds.add(new Comparison.Seed(t.seed(), t.fold(), t.accuracy(), t.trainSamples(), t.testSamples(),
                    m.predictions().get(s).correct()));
        }
        return new Comparison.Trials(m.id(), seeds);
    }

    private static void plots(Document doc, Bundle bundle, List<ModelTrials> models) {
        List<ModelTrials> done = models.stream().filter(m -> !m.metrics().isEmpty()).toList();
        if (done.isEmpty()) {
            return;
        }
        doc.heading("Plots");
        List<String> ids = done.stream().map(ModelTrials::id).toList();
        List<Double> means = new ArrayList<>();
        List<Double> stds = new ArrayList<>();
        for (ModelTrials m : done) {
            Statistics.Summary s = Statistics.Summary.of(m.values("accuracy"));
            means.add(s.mean());
            stds.add(s.std());
        }
        image(doc, bundle, "Test accuracy per model", "accuracy.png", Plots.accuracy(ids, means, stds));
        List<Plots.Line> loss = lines(done, CurvePoint::trainLoss);
        if (!loss.isEmpty()) {
            image(doc, bundle, "Learning curves: training loss (mean across seeds)", "learning-curves-loss.png",
                    Plots.curves("Training loss per epoch", "training loss", loss));
        }
        List<Plots.Line> validation = lines(done, CurvePoint::validationAccuracy);
        if (!validation.isEmpty()) {
            image(doc, bundle, "Learning curves: validation accuracy (mean across seeds)",
                    "learning-curves-validation.png",
                    Plots.curves("Validation accuracy per epoch", "validation accuracy", validation));
        }
        for (ModelTrials m : done) {
            List<String> classes = m.metrics().get(0).classNames();
            long[][] sum = new long[classes.size()][classes.size()];
            for (TrialMetrics t : m.metrics()) {
                for (int r = 0; r < sum.length; r++) {
                    for (int c = 0; c < sum.length; c++) {
                        sum[r][c] += t.confusion()[r][c];
                    }
                }
            }
            image(doc, bundle, "Confusion matrix of " + m.id() + " (summed over " + m.metrics().size() + " seed(s))",
                    "confusion-" + m.id() + ".png", Plots.confusion("Confusion: " + m.id(), classes, sum));
        }
    }

    private static List<Plots.Line> lines(List<ModelTrials> models,
                                          java.util.function.Function<CurvePoint, Double> value) {
        List<Plots.Line> lines = new ArrayList<>();
        for (ModelTrials m : models) {
            int epochs = m.curves().stream().mapToInt(List::size).max().orElse(0);
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                double sum = 0;
                int n = 0;
                for (List<CurvePoint> curve : m.curves()) {
                    if (e < curve.size() && value.apply(curve.get(e)) != null) {
                        sum += value.apply(curve.get(e));
                        n++;
                    }
                }
                if (n > 0) {
                    x.add(e + 1.0);
                    y.add(sum / n);
                }
            }
            if (!x.isEmpty()) {
                lines.add(new Plots.Line(m.id(), x.stream().mapToDouble(Double::doubleValue).toArray(),
                        y.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        return lines;
    }

    private static void trials(Document doc, List<ModelTrials> models) {
        List<List<String>> rows = new ArrayList<>();
        for (ModelTrials m : models) {
            for (TrialMetrics t : m.metrics()) {
                rows.add(List.of(m.id(), t.fold() == null ? String.valueOf(t.seed()) : t.seed() + " fold " + t.fold(),
                        String.format("%.4f", t.accuracy()),
                        t.validationAccuracy() == null ? "-" : String.format("%.4f", t.validationAccuracy())
                                + (t.selectedCandidate() == null ? "" : " (candidate " + t.selectedCandidate() + ")"),
                        String.format("%.4f", t.logLoss()), String.format("%.4f", t.macroF1()),
                        String.valueOf(t.epochsRun()), String.format("%.1f", t.trainingSeconds()),
                        String.format("%.0f", t.inferenceSamplesPerSecond()), String.valueOf(t.parameterCount()),
                        t.trainSamples() + "/" + t.validationSamples() + "/" + t.testSamples(),
                        "`" + t.modelSha256().substring(0, 12) + "`"));
            }
        }
        doc.heading("Trials").table("trials", List.of("model", "seed", "accuracy", "validation accuracy", "log loss", "macro F1", "epochs",
                "training s", "inference rows/s", "parameters", "train/val/test rows", "model sha256"), rows);
    }

    private static void provenance(Document doc, Lock lock) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("created", String.valueOf(lock.created())));
        rows.add(List.of("JVM", lock.jvm().version() + " (" + lock.jvm().vm() + ", " + lock.jvm().vendor() + ")"));
        rows.add(List.of("OS", lock.os().name() + " " + lock.os().version() + " " + lock.os().arch()));
        rows.add(List.of("CPU", lock.cpu().model() + ", " + lock.cpu().availableProcessors() + " processors"));
        rows.add(List.of("host", String.valueOf(lock.host())));
        rows.add(List.of("threads per model", String.valueOf(lock.threads())));
        Lock.Git git = lock.git();
        rows.add(List.of("git", git != null ? "`" + git.commit() + "`" + (git.dirty() ? " (uncommitted changes)" : "")
                : "not a git checkout"));
        for (Lock.Component c : lock.components()) {
            rows.add(List.of(c.kind() + " " + c.id(), c.version() + " (" + c.module() + ", " + c.jar() + ")"));
        }
        lock.data().sha256().forEach((file, sha) -> rows.add(List.of("sha256 " + file, "`" + sha + "`")));
        doc.heading("Provenance (lock.json)").table("provenance", List.of("what", "value"), rows);
    }

    /** Accuracy under attack: a table of every kind at every epsilon and one curve per model. */
    private static void robustness(Document doc, Bundle bundle, List<ModelTrials> models) {
        List<ModelTrials> done = models.stream().filter(m -> !m.metrics().isEmpty()
                && m.metrics().stream().allMatch(t -> t.robustness() != null)).toList();
        if (done.isEmpty()) {
            return;
        }
        List<Double> epsilons = done.get(0).metrics().get(0).robustness().epsilons();
        List<String> header = new ArrayList<>(List.of("model", "attack", "examples from"));
        epsilons.forEach(e -> header.add("ε=" + e));
        List<List<String>> rows = new ArrayList<>();
        List<Plots.Line> lines = new ArrayList<>();
        double[] x = epsilons.stream().mapToDouble(Double::doubleValue).toArray();
        for (ModelTrials m : done) {
            RobustnessResult first = m.metrics().get(0).robustness();
            List<String> kinds = new ArrayList<>(first.accuracy().keySet());
            java.util.Collections.sort(kinds);
            for (String kind : kinds) {
                List<String> row = new ArrayList<>(List.of(m.id(), kind, RobustnessResult.NOISE.equals(kind)
                        ? "random ±ε signs" : first.method()));
                for (int e = 0; e < epsilons.size(); e++) {
                    int at = e;
                    row.add(String.format("%.4f", m.metrics().stream().mapToDouble(t -> t.robustness().accuracy()
                            .get(kind).get(at)).average().orElse(Double.NaN)));
                }
                rows.add(row);
            }
            double[] strongest = new double[epsilons.size()];
            for (TrialMetrics t : m.metrics()) {
                double[] s = t.robustness().strongest();
                for (int e = 0; e < s.length; e++) {
                    strongest[e] += s[e] / m.metrics().size();
                }
            }
            String name = first.method().startsWith("transfer") ? m.id() + " (" + first.method() + ")" : m.id();
            lines.add(new Plots.Line(name, x, strongest));
        }
        doc.heading("Adversarial robustness");
        doc.paragraph(String.format("Accuracy on the first %d test rows (mean across seeds) with every pixel moved by "
                + "at most ε (L-infinity, pixels in [0, 1], clipped): random ±ε noise as the baseline, FGSM (one signed "
                + "gradient step) and PGD (random start, signed steps of ε/4, projected). Models without gradients "
                + "are attacked with examples crafted on their surrogate (transfer). The robustness metric is the "
                + "mean over ε of the strongest attack's accuracy.", done.get(0).metrics().get(0).robustness()
                .samples()));
        doc.table("robustness", header, rows);
        image(doc, bundle, "Accuracy under the strongest attack per model", "robustness.png",
                Plots.robustness("Accuracy under attack (strongest of FGSM/PGD at each ε)", lines));
    }

    /** For models with feature maps: Grad-CAM of the first test images and the Grad-CAM layer's channels. */
    private static void insight(Document doc, Bundle bundle, List<ModelTrials> models) {
        boolean headed = false;
        for (ModelTrials m : models) {
            if (m.metrics().isEmpty()) {
                continue;
            }
            Path trial = bundle.trial(m.id(), m.metrics().get(0).seed(), m.metrics().get(0).fold());
            if (!Files.isRegularFile(trial.resolve(Pictures.GRADCAM))) {
                continue;
            }
            if (!headed) {
                doc.heading("What the models see");
                doc.paragraph("Grad-CAM at the last convolution for the first test images and their predicted "
                        + "classes (input, heatmap, overlay), and every channel of that layer for the first image; "
                        + "seed " + m.metrics().get(0).seed() + ". `modelbench explain` draws these for any input.");
                headed = true;
            }
            embed(doc, bundle, "Grad-CAM of " + m.id(), "gradcam-" + m.id() + ".png", trial.resolve(Pictures.GRADCAM));
            embed(doc, bundle, "Feature maps of " + m.id(), "activations-" + m.id() + ".png",
                    trial.resolve(Pictures.ACTIVATIONS));
        }
    }

    private static void embed(Document doc, Bundle bundle, String alt, String file, Path png) {
        try {
            image(doc, bundle, alt, file, Files.readAllBytes(png));
        } catch (java.io.IOException e) {
            throw new org.modelbench.api.ModelbenchException("cannot read " + png + ": " + e.getMessage(), e);
        }
    }

    /** Each augmented model's settings and a picture of its augmented training images. */
    private static void augmentation(Document doc, Bundle bundle, List<ModelTrials> models) {
        boolean headed = false;
        for (ModelTrials trials : models) {
            Augmentation augmentation = trials.spec().preprocessing() == null ? null
                    : trials.spec().preprocessing().augmentation();
            String id = trials.id();
            if (augmentation == null || augmentation.type() == Augmentation.Type.NONE || trials.metrics().isEmpty()) {
                continue;
            }
            Path picture = bundle.trial(id, trials.metrics().get(0).seed(), trials.metrics().get(0).fold())
                    .resolve(Bundle.AUGMENTED_SAMPLES);
            if (!Files.isRegularFile(picture)) {
                continue;
            }
            if (!headed) {
                doc.heading("Augmentation");
                doc.paragraph("Compare the accuracy of augmented models with their unaugmented twins in the tables "
                        + "above. Each picture: one training image per row, the original first, then variants as the "
                        + "augmentation draws them.");
                headed = true;
            }
            doc.paragraph(String.format("**%s**: shift ≤ %s px, rotation ≤ %s°, zoom ≤ %s, horizontal flip %s.", id,
                    augmentation.maxShift(), augmentation.maxRotation(), augmentation.maxZoom(),
                    augmentation.horizontalFlip()));
            embed(doc, bundle, "Augmented training images of " + id, "augmentation-" + id + ".png", picture);
        }
    }

    private static void image(Document doc, Bundle bundle, String alt, String file, byte[] png) {
        AtomicFiles.write(bundle.root().resolve(Bundle.PLOTS).resolve(file), png);
        doc.image(alt, Bundle.PLOTS + "/" + file, png);
    }

    private static String format(String metric) {
        return switch (metric) {
            case "trainingSeconds" -> "%.2f";
            case "inferenceSamplesPerSecond", "parameterCount" -> "%.0f";
            default -> "%.4f";
        };
    }

    private static String p(double p) {
        return p < 1e-4 ? String.format("%.1e", p) : String.format("%.4f", p);
    }
}
