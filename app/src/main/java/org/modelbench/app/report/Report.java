package org.modelbench.app.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.modelbench.api.AtomicFiles;
import org.modelbench.app.explain.Pictures;
import org.modelbench.app.manifest.Augmentation;
import org.modelbench.app.manifest.Manifest;
import org.modelbench.app.report.ReportInput.DatasetTrials;
import org.modelbench.app.report.ReportInput.ModelTrials;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.CurvePoint;
import org.modelbench.app.run.Json;
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

    /** The report's numbers as JSON ({@link ReportSummary}). */
    public static final String REPORT_JSON = "report.json";

    private Report() {
    }

    /** Writes the report files of {@code bundle}: {@code report.md}, {@code report.html}, {@code report.json}. */
    public static void write(Bundle bundle) {
        ReportInput input = ReportInput.load(bundle);
        Manifest experiment = input.experiment();
        List<Long> seeds = experiment.seeds();
        Document doc = new Document("modelbench report: " + experiment.name());
        String description = experiment.description();
        if (!description.isBlank()) {
            doc.paragraph(description);
        }
        AcrossDatasets across = null;
        int folds = experiment.allDatasets().stream().mapToInt(d -> d.crossValidated() ? d.folds() : 1).max()
                .orElse(1);
        if (!experiment.suite()) {
            List<ModelTrials> models = input.models();
            long finished = models.stream().mapToLong(m -> m.metrics().size()).sum();
            doc.paragraph(String.format("Dataset **%s**; %d model(s) x %d seed(s) %s%s; %d of %d trials finished. "
                            + "Bundle `%s`.", experiment.dataset().id() != null ? experiment.dataset().id() : "IDX files",
                    models.size(), seeds.size(), seeds, folds > 1 ? " x " + folds + " folds (stratified cross-validation)"
                            : "", finished, (long) models.size() * seeds.size() * folds, bundle.root().getFileName()));
            section(doc, bundle, Section.SINGLE, input.datasets().get(0), experiment.metrics());
        } else {
            long finished = 0;
            long planned = 0;
            for (DatasetTrials d : input.datasets()) {
                finished += d.models().stream().mapToLong(m -> m.metrics().size()).sum();
                planned += (long) d.models().size() * seeds.size() * Bundle.folds(d.spec().folds()).size();
            }
            doc.paragraph(String.format("A suite of %d datasets (%s); %d model(s) x %d seed(s) %s on each; %d of %d "
                            + "trials finished. Bundle `%s`.", input.datasets().size(),
                    String.join(", ", input.datasets().stream().map(DatasetTrials::label).toList()),
                    experiment.models().size(), seeds.size(), seeds, finished, planned, bundle.root().getFileName()));
            across = AcrossDatasets.of(input.datasets());
            acrossDatasets(doc, bundle, across);
            for (DatasetTrials d : input.datasets()) {
                doc.heading("Dataset " + d.label());
                section(doc, bundle, new Section(d.label()), d, experiment.metrics());
            }
        }
        provenance(doc, input.lock());
        doc.paragraph("Confidence intervals: mean ± t(0.975, n-1) * std / sqrt(n) across " + (folds > 1 ? "seeds x folds"
                : "seeds") + " (lower bounds clipped at 0). Pairwise tests: "
                + "corrected resampled t-test (Nadeau and Bengio 2003) on per-seed accuracy differences, McNemar's "
                + "test (exact binomial below 25 discordant rows) on each seed's test predictions; alpha = " + ALPHA + "."
                + (across == null ? "" : " Across datasets: ranks by mean test accuracy per dataset (ties share the "
                + "average rank), the Friedman test with Iman and Davenport's F, and the Nemenyi critical difference "
                + "(Demšar 2006), alpha = " + Ranking.ALPHA + "."));
        AtomicFiles.writeString(bundle.root().resolve(Bundle.REPORT_MD), doc.markdown());
        AtomicFiles.writeString(bundle.root().resolve(Bundle.REPORT_HTML), doc.html());
        Json.write(bundle.root().resolve(REPORT_JSON), ReportSummary.of(input, across));
    }

    /**
     * Where a dataset's part of the report goes: a single-dataset report's sections at the top level, a
     * suite's under its dataset's heading, with table ids and plot files prefixed by the dataset label.
     *
     * @param dataset the dataset label in a suite, {@code null} for a single-dataset report
     */
    record Section(String dataset) {
        static final Section SINGLE = new Section(null);

        String id(String table) {
            return dataset == null ? table : table + "-" + dataset;
        }

        String file(String name) {
            return dataset == null ? name : dataset + "-" + name;
        }

        Document heading(Document doc, String text) {
            return dataset == null ? doc.heading(text) : doc.subheading(text + " (" + dataset + ")");
        }
    }

    /** Today's report sections for one dataset. */
    private static void section(Document doc, Bundle bundle, Section at, DatasetTrials data, List<String> metrics) {
        List<ModelTrials> models = data.models();
        comparison(doc, at, models, metrics, data.spec().crossValidated() ? data.spec().folds() : 1);
        SearchTables.write(doc, at, models);
        significance(doc, at, models);
        plots(doc, bundle, at, models);
        robustness(doc, bundle, at, models);
        augmentation(doc, bundle, at, data);
        insight(doc, bundle, at, models);
        trials(doc, at, models);
    }

    /** The rank table, the Friedman test and the critical-difference diagram, or why they are left out. */
    private static void acrossDatasets(Document doc, Bundle bundle, AcrossDatasets across) {
        doc.heading("Across datasets");
        List<String> header = new ArrayList<>(List.of("model"));
        across.datasets().forEach(d -> header.add(d + " accuracy (rank)"));
        header.add("average rank");
        List<List<String>> rows = new ArrayList<>();
        Ranking r = across.ranking();
        for (int m = 0; m < across.models().size(); m++) {
            List<String> row = new ArrayList<>(List.of(across.models().get(m)));
            for (int d = 0; d < across.datasets().size(); d++) {
                Double score = across.meanAccuracy().get(d).get(m);
                row.add(score == null ? "-" : String.format("%.4f", score)
                        + (r == null || !r.datasets().contains(across.datasets().get(d)) ? ""
                        : String.format(" (%s)", rank(r.ranks()[r.datasets().indexOf(across.datasets().get(d))][m]))));
            }
            row.add(r == null ? "-" : String.format("%.3f", r.averageRanks()[m]));
            rows.add(row);
        }
        doc.paragraph("Mean test accuracy per dataset (over seeds and folds) and each model's rank on that dataset "
                + "(1 = most accurate; ties share the average rank).");
        doc.table("ranks", header, rows);
        if (r == null) {
            doc.paragraph("Friedman test and critical-difference diagram omitted: " + across.omitted() + ".");
            return;
        }
        Ranking.Friedman f = r.friedman();
        doc.paragraph(String.format("Friedman test over %d datasets and %d models: chi-square = %.4f (df %d), p = %s; "
                        + "Iman-Davenport F = %s (df %d, %d), p = %s: %s at alpha = %s.", f.datasets(), f.models(),
                f.chiSquare(), f.models() - 1, p(f.chiSquareP()), Double.isInfinite(f.imanDavenportF()) ? "∞"
                        : String.format("%.4f", f.imanDavenportF()), f.models() - 1,
                (f.models() - 1) * (f.datasets() - 1), p(f.imanDavenportP()), f.rejects()
                        ? "the models are **not** all equivalent" : "no significant difference among the models",
                Ranking.ALPHA));
        doc.table("friedman", List.of("statistic", "value", "p"), List.of(
                List.of("Friedman chi-square", String.format("%.4f", f.chiSquare()), p(f.chiSquareP())),
                List.of("Iman-Davenport F", Double.isInfinite(f.imanDavenportF()) ? "∞"
                        : String.format("%.4f", f.imanDavenportF()), p(f.imanDavenportP()))));
        Ranking.Nemenyi n = r.nemenyi();
        if (n == null) {
            doc.paragraph("Critical-difference diagram omitted: the Nemenyi table (Demšar 2006) covers 2 to 10 models, "
                    + "this suite has " + r.models().size() + ".");
            return;
        }
        doc.paragraph(String.format("Nemenyi test: critical difference CD = q_%s * sqrt(k (k + 1) / (6 N)) = %.3f * "
                + "sqrt(%d * %d / (6 * %d)) = %.3f; models whose average ranks differ by less are joined by a bar.",
                n.alpha(), n.qAlpha(), f.models(), f.models() + 1, f.datasets(), n.criticalDifference()));
        image(doc, bundle, "Critical-difference diagram (Nemenyi, alpha = " + n.alpha() + ")",
                "critical-difference.png", Plots.criticalDifference(String.format("Average rank over %d datasets "
                        + "(Nemenyi CD = %.3f at alpha = %s)", f.datasets(), n.criticalDifference(), n.alpha()),
                        r.models(), r.averageRanks(), n.criticalDifference(), n.groups()));
    }

    private static String rank(double rank) {
        return rank == Math.rint(rank) ? String.valueOf((long) rank) : String.valueOf(rank);
    }

    /**
     * The finished trials of a model: its seeds, or with folds its seeds x folds ({@code 3 x 10}), and the
     * trial count when not every (seed, fold) finished ({@code 28 of 3 x 10}).
     */
    static String trialCount(ModelTrials m, int folds) {
        if (folds <= 1) {
            return String.valueOf(m.metrics().size());
        }
        long seeds = m.metrics().stream().mapToLong(TrialMetrics::seed).distinct().count();
        long foldsSeen = m.metrics().stream().map(TrialMetrics::fold).distinct().count();
        String grid = seeds + " x " + foldsSeen;
        return seeds * foldsSeen == m.metrics().size() ? grid : m.metrics().size() + " of " + grid;
    }

    private static void comparison(Document doc, Section at, List<ModelTrials> models, List<String> metrics,
                                   int folds) {
        List<String> header = new ArrayList<>(List.of("model", "family", folds > 1 ? "seeds x folds" : "seeds"));
        metrics.forEach(m -> header.add(m + " (mean ± std) [95% CI]"));
        List<List<String>> rows = new ArrayList<>();
        for (ModelTrials m : models) {
            List<String> row = new ArrayList<>(List.of(m.id(), m.family(), trialCount(m, folds)));
            for (String metric : metrics) {
                if (m.metrics().isEmpty()) {
                    row.add("-");
                    continue;
                }
                row.add(comparisonCell(metric, m.values(metric)));
            }
            rows.add(row);
        }
        at.heading(doc, "Comparison").table(at.id("comparison"), header, rows);
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
            at.heading(doc, "Per-class F1 (mean across seeds)").table(at.id("per-class-f1"), f1Header, f1Rows);
        }
    }

    private static void significance(Document doc, Section at, List<ModelTrials> models) {
        Comparison comparison = Comparison.of(models.stream().map(Report::comparable).toList(), ALPHA);
        List<List<String>> rows = new ArrayList<>();
        for (Comparison.Pair pair : comparison.pairs()) {
            List<String> mcnemar = pair.mcnemar().stream().map(m -> String.format("%s: %s (%d/%d)", m.trial(),
                    p(m.p()), m.onlyA(), m.onlyB())).toList();
            rows.add(List.of(pair.a(), pair.b(), String.format("%+.4f", pair.meanDifference()),
                    Double.isNaN(pair.tTestP()) ? "n/a (1 seed)" : p(pair.tTestP()), String.join("; ", mcnemar),
                    pair.winner() == null ? "tie" : "**" + pair.winner() + "** wins"));
        }
        at.heading(doc, "Paired significance tests");
        if (rows.isEmpty()) {
            doc.paragraph("Fewer than two models with finished trials: nothing to compare.");
            return;
        }
        doc.table(at.id("significance"), List.of("model A", "model B", "mean accuracy A - B", "corrected resampled t-test p",
                "McNemar p per seed (only A right / only B right)", "verdict"), rows);
        List<List<String>> summary = new ArrayList<>();
        comparison.record().forEach((id, wtl) -> summary.add(List.of(id, String.valueOf(wtl.wins()),
                String.valueOf(wtl.ties()), String.valueOf(wtl.losses()))));
        at.heading(doc, "Win / tie / loss").table(at.id("win-tie-loss"), List.of("model", "wins", "ties", "losses"), summary);
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

    private static void plots(Document doc, Bundle bundle, Section at, List<ModelTrials> models) {
        List<ModelTrials> done = models.stream().filter(m -> !m.metrics().isEmpty()).toList();
        if (done.isEmpty()) {
            return;
        }
        at.heading(doc, "Plots");
        List<String> ids = done.stream().map(ModelTrials::id).toList();
        List<Double> means = new ArrayList<>();
        List<Double> stds = new ArrayList<>();
        for (ModelTrials m : done) {
            Statistics.Summary s = Statistics.Summary.of(m.values("accuracy"));
            means.add(s.mean());
            stds.add(s.std());
        }
        image(doc, bundle, "Test accuracy per model", at.file("accuracy.png"), Plots.accuracy(ids, means, stds));
        List<Plots.Line> loss = lines(done, CurvePoint::trainLoss);
        if (!loss.isEmpty()) {
            image(doc, bundle, "Learning curves: training loss (mean across seeds)", at.file("learning-curves-loss.png"),
                    Plots.curves("Training loss per epoch", "training loss", loss));
        }
        List<Plots.Line> validation = lines(done, CurvePoint::validationAccuracy);
        if (!validation.isEmpty()) {
            image(doc, bundle, "Learning curves: validation accuracy (mean across seeds)",
                    at.file("learning-curves-validation.png"),
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
                    at.file("confusion-" + m.id() + ".png"), Plots.confusion("Confusion: " + m.id(), classes, sum));
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

    private static void trials(Document doc, Section at, List<ModelTrials> models) {
        List<List<String>> rows = new ArrayList<>();
        for (ModelTrials m : models) {
            for (TrialMetrics t : m.metrics()) {
                rows.add(List.of(m.id(), t.fold() == null ? String.valueOf(t.seed()) : t.seed() + " fold " + t.fold(),
                        String.format("%.4f", t.accuracy()),
                        t.validationAccuracy() == null ? "-" : String.format("%.4f", t.validationAccuracy())
                                + (t.selectedCandidate() == null ? "" : " (candidate " + t.selectedCandidate() + ")"),
                        String.format("%.4f", t.logLoss()), String.format("%.4f", t.macroF1()),
                        String.valueOf(t.epochsRun()), String.format("%.1f", t.trainingSeconds()),
                        t.inferenceSamplesPerSecond() == null ? "- (cached features)"
                                : String.format("%.0f", t.inferenceSamplesPerSecond()), String.valueOf(t.parameterCount()),
                        t.trainSamples() + "/" + t.validationSamples() + "/" + t.testSamples(),
                        "`" + t.modelSha256().substring(0, 12) + "`"));
            }
        }
        at.heading(doc, "Trials").table(at.id("trials"), List.of("model", "seed", "accuracy", "validation accuracy",
                "log loss", "macro F1", "epochs",
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
        for (Lock.Data data : lock.allData()) {
            String of = lock.datasets() == null ? "" : data.name() + " ";
            data.sha256().forEach((file, sha) -> rows.add(List.of("sha256 " + of + file, "`" + sha + "`")));
            data.notes().forEach((key, value) -> rows.add(List.of("data note " + of + key, value)));
        }
        doc.heading("Provenance (lock.json)").table("provenance", List.of("what", "value"), rows);
    }

    /** Accuracy under attack: a table of every kind at every epsilon and one curve per model. */
    private static void robustness(Document doc, Bundle bundle, Section at, List<ModelTrials> models) {
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
                    int eps = e;
                    row.add(String.format("%.4f", m.metrics().stream().mapToDouble(t -> t.robustness().accuracy()
                            .get(kind).get(eps)).average().orElse(Double.NaN)));
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
        at.heading(doc, "Adversarial robustness");
        doc.paragraph(String.format("Accuracy on the first %d test rows (mean across seeds) with every pixel moved by "
                + "at most ε (L-infinity, pixels in [0, 1], clipped): random ±ε noise as the baseline, FGSM (one signed "
                + "gradient step) and PGD (random start, signed steps of ε/4, projected). Models without gradients "
                + "are attacked with examples crafted on their surrogate (transfer). The robustness metric is the "
                + "mean over ε of the strongest attack's accuracy.", done.get(0).metrics().get(0).robustness()
                .samples()));
        doc.table(at.id("robustness"), header, rows);
        image(doc, bundle, "Accuracy under the strongest attack per model", at.file("robustness.png"),
                Plots.robustness("Accuracy under attack (strongest of FGSM/PGD at each ε)", lines));
    }

    /** For models with feature maps: Grad-CAM of the first test images and the Grad-CAM layer's channels. */
    private static void insight(Document doc, Bundle bundle, Section at, List<ModelTrials> models) {
        boolean headed = false;
        for (ModelTrials m : models) {
            if (m.metrics().isEmpty()) {
                continue;
            }
            Path trial = m.folders().get(0);
            if (!Files.isRegularFile(trial.resolve(Pictures.GRADCAM))) {
                continue;
            }
            if (!headed) {
                at.heading(doc, "What the models see");
                doc.paragraph("Grad-CAM at the last convolution for the first test images and their predicted "
                        + "classes (input, heatmap, overlay), and every channel of that layer for the first image; "
                        + "seed " + m.metrics().get(0).seed() + ". `modelbench explain` draws these for any input.");
                headed = true;
            }
            embed(doc, bundle, "Grad-CAM of " + m.id(), at.file("gradcam-" + m.id() + ".png"), trial.resolve(Pictures.GRADCAM));
            embed(doc, bundle, "Feature maps of " + m.id(), at.file("activations-" + m.id() + ".png"),
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
    private static void augmentation(Document doc, Bundle bundle, Section at, DatasetTrials data) {
        boolean headed = false;
        for (ModelTrials trials : data.models()) {
            Augmentation augmentation = trials.spec().effectivePreprocessing(data.spec()).augmentation();
            String id = trials.id();
            if (augmentation == null || augmentation.type() == Augmentation.Type.NONE || trials.metrics().isEmpty()) {
                continue;
            }
            Path picture = trials.folders().get(0).resolve(Bundle.AUGMENTED_SAMPLES);
            if (!Files.isRegularFile(picture)) {
                continue;
            }
            if (!headed) {
                at.heading(doc, "Augmentation");
                doc.paragraph("Compare the accuracy of augmented models with their unaugmented twins in the tables "
                        + "above. Each picture: one training image per row, the original first, then variants as the "
                        + "augmentation draws them.");
                headed = true;
            }
            doc.paragraph(String.format("**%s**: shift ≤ %s px, rotation ≤ %s°, zoom ≤ %s, horizontal flip %s.", id,
                    augmentation.maxShift(), augmentation.maxRotation(), augmentation.maxZoom(),
                    augmentation.horizontalFlip()));
            embed(doc, bundle, "Augmented training images of " + id, at.file("augmentation-" + id + ".png"), picture);
        }
    }

    private static void image(Document doc, Bundle bundle, String alt, String file, byte[] png) {
        AtomicFiles.write(bundle.root().resolve(Bundle.PLOTS).resolve(file), png);
        doc.image(alt, Bundle.PLOTS + "/" + file, png);
    }

    /**
     * A model's cell of the comparison table: mean ± std [95% CI] of {@code metric} over its trials. Trials that did
     * not measure it (NaN: an inference rate over cached features, no robustness) are left out, and the cell says
     * how many measured it.
     */
    static String comparisonCell(String metric, double[] values) {
        double[] measured = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        if (measured.length == 0) {
            return "n/a (not measured)";
        }
        Statistics.Summary s = Statistics.Summary.of(measured);
        String f = format(metric);
        String cell = String.format(f + " ± " + f, s.mean(), s.std());
        cell += Double.isNaN(s.halfWidth()) ? " [n/a: 1 seed]" : String.format(" [" + f + ", " + f + "]",
                Math.max(0, s.mean() - s.halfWidth()), s.mean() + s.halfWidth());
        return measured.length < values.length ? cell + " (" + measured.length + " of " + values.length
                + " trials measured)" : cell;
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
