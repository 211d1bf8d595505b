package org.modelbench.engine.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.modelbench.api.ConfigException;
import org.modelbench.api.Dataset;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.TrainingEvent;
import org.modelbench.engine.config.EarlyStoppingConfig;
import org.modelbench.engine.config.OptimizerConfig;
import org.modelbench.engine.config.ScheduleConfig;
import org.modelbench.engine.config.TrainingSettings;

class TrainingSettingsTest {

    @Test
    void schedules() {
        ScheduleConfig step = RecordBinder.bind(Map.of("type", "step", "stepEpochs", 2, "gamma", 0.5), ScheduleConfig.class, "");
        assertEquals(1.0, step.rate(1.0, 1, 10));
        assertEquals(0.5, step.rate(1.0, 2, 10));
        assertEquals(0.25, step.rate(1.0, 5, 10));
        ScheduleConfig exp = RecordBinder.bind(Map.of("type", "exponential", "gamma", 0.9), ScheduleConfig.class, "");
        assertEquals(0.81, exp.rate(1.0, 2, 10), 1e-6);
        ScheduleConfig cos = RecordBinder.bind(Map.of("type", "cosine", "minLearningRate", 0.1), ScheduleConfig.class, "");
        assertEquals(1.0, cos.rate(1.0, 0, 10), 1e-9);
        assertEquals(0.55, cos.rate(1.0, 5, 10), 1e-9);
        ConfigException e = assertThrows(ConfigException.class,
                () -> RecordBinder.bind(Map.of("type", "step", "gamma", 2), ScheduleConfig.class, "schedule"));
        assertEquals("schedule.gamma: expected a number in (0, 1], got 2.0", e.getMessage());
    }

    @Test
    void kerasDefaults() {
        OptimizerConfig adam = OptimizerConfig.of(OptimizerConfig.Type.ADAM);
        assertEquals(0.001f, adam.learningRate());
        assertEquals(0.9f, adam.beta1());
        assertEquals(0.999f, adam.beta2());
        assertEquals(1e-7f, adam.epsilon());
        assertEquals(0.01f, OptimizerConfig.of(OptimizerConfig.Type.SGD).learningRate());
        assertEquals(0.9f, OptimizerConfig.of(OptimizerConfig.Type.RMSPROP).rho());
        assertEquals(0.95f, OptimizerConfig.of(OptimizerConfig.Type.ADADELTA).rho());
    }

    @Test
    void earlyStoppingRestoresTheBestEpoch() {
        Dataset train = NetworkTest.toyData(64, 1);
        Dataset validation = NetworkTest.toyData(64, 2);
        // a learning rate this high over-fits 64 rows at once, so validation loss stops improving
        TrainingSettings settings = new TrainingSettings(40, 8, OptimizerConfig.of(OptimizerConfig.Type.ADAM, 0.05f),
                null, new EarlyStoppingConfig(null, 2, null, null), null);
        Network net = NetworkTest.residual(3);
        List<TrainingEvent> events = new ArrayList<>();
        TrainingHistory h = new NetworkTrainer(settings).fit(net, train, Optional.of(validation),
                RunContext.of(4).withThreads(1).withListener(events::add));
        assertTrue(h.epochs().size() < 40, "stopped early: " + h.reason());
        assertTrue(h.reason().startsWith("early stopping at epoch " + h.epochs().size()), h.reason());
        double best = h.epochs().stream().mapToDouble(TrainingHistory.Epoch::validationLoss).min().orElseThrow();
        assertEquals(best, h.epochs().get(h.bestEpoch() - 1).validationLoss());
        double restored = new NetworkTrainer(settings).evaluate(net, validation, 1)[0];
        assertEquals(best, restored, 1e-9);
        assertTrue(events.get(events.size() - 1) instanceof TrainingEvent.Finished f && f.epochsRun() == h.epochs().size());
    }
}
