package dev.windrose.dataplane;

/**
 * The embedded NVMe/TCP dataplane: what it is, and the targets it runs (see {@link DataplaneTarget}
 * for subsystems, namespaces, listeners and statistics).
 */
public interface Dataplane {

    /** The library's version string, e.g. {@code 0.1.0}. */
    String version();

    /** The ABI version the library was built with ({@code WR_ABI_VERSION}). */
    int abiVersion();

    /** Starts an NVMe/TCP target: reactor threads, no subsystems yet. Close it to stop it. */
    DataplaneTarget createTarget(TargetOptions options);
}
