package org.modelbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.modelbench.api.ModelbenchException;

/**
 * Files of a Debian package: read where the package is installed, else extracted from
 * {@code apt-get download} with {@code dpkg-deb -x} (neither needs root).
 *
 * @param name the package name, e.g. {@code python3-sklearn}
 */
record DebianPackage(String name) {

    /**
     * The folder that holds {@code installedFolder}'s files: the installed one when {@code probe} (a
     * file name in it) exists, else the same folder inside the package extracted into {@code staging}.
     */
    Path folder(String installedFolder, String probe, Path staging, Consumer<String> log)
            throws IOException, InterruptedException {
        Path installed = Path.of(installedFolder);
        if (Files.isRegularFile(installed.resolve(probe))) {
            return installed;
        }
        log.accept(installedFolder + " not installed; extracting " + name + " with apt-get download");
        try {
            VerifiedFilesProvider.run(staging, log, "apt-get", "download", name);
            Path deb;
            try (var listing = Files.list(staging)) {
                deb = listing.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new ModelbenchException("apt-get download produced no .deb"));
            }
            VerifiedFilesProvider.run(staging, log, "dpkg-deb", "-x", deb.toString(), staging.resolve("root").toString());
        } catch (IOException | ModelbenchException e) {
            throw new ModelbenchException("cannot obtain " + name + " (" + e.getMessage()
                    + "); install it with: apt-get update && apt-get install -y " + name);
        }
        return staging.resolve("root" + installedFolder);
    }
}
