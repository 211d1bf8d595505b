/**
 * modelbench's plugin test kit: JUnit 5 contract tests that a model family or layer provider
 * (in-repo or third-party) extends to be held to the platform's expectations, and a check that a
 * module's {@code provides} match its {@code META-INF/services} files. It needs the api and JUnit
 * and nothing else.
 */
module org.modelbench.testkit {
    requires transitive org.modelbench.api;
    requires transitive org.junit.jupiter.api;

    exports org.modelbench.testkit;
    // JUnit instantiates the contract classes' subclasses and calls their test methods reflectively
    opens org.modelbench.testkit to org.junit.platform.commons;
}
