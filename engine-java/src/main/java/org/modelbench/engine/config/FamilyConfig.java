package org.modelbench.engine.config;

/** What every engine family config offers: its training settings. */
public interface FamilyConfig {

    /** The training settings, defaults filled in. */
    TrainingSettings training();
}
