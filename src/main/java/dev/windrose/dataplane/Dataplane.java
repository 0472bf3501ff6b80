package dev.windrose.dataplane;

/**
 * The embedded NVMe/TCP dataplane. For now it reports what it is; the control API (targets,
 * subsystems, namespaces, listeners, statistics) will grow here as the C library gains it.
 */
public interface Dataplane {

    /** The library's version string, e.g. {@code 0.1.0}. */
    String version();

    /** The ABI version the library was built with ({@code WR_ABI_VERSION}). */
    int abiVersion();
}
