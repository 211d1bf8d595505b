package org.modelbench.app.manifest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.fuzz.FuzzFiles;

/** Manifests: YAML text bound to the typed manifest, every family's params and checks. */
class ManifestLoaderFuzzTest {
    private static final Path DIR = FuzzFiles.folder("manifest");
    private static final ManifestLoader LOADER = new ManifestLoader(PluginRegistry.load(DIR.resolve("plugins"), w -> {
    }));

    @FuzzTest(maxExecutions = 100_000, maxDuration = "20m")
    void manifests(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        FuzzFiles.expectOnlyTypedErrors(() -> LOADER.load("fuzz.yaml", text, DIR));
    }
}
