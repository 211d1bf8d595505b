package org.modelbench.api.provenance;

/**
 * A loaded component (provider) and where it came from.
 *
 * @param kind     {@code model-family}, {@code layer} or {@code dataset}
 * @param id       the provider id
 * @param version  the provider's version
 * @param module   the module that holds it ({@code unnamed} on the class path)
 * @param location the jar or folder it was loaded from ({@code unknown} when not known)
 */
public record ComponentInfo(String kind, String id, String version, String module, String location) {
}
