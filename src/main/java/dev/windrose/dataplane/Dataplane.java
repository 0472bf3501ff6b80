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

    /**
     * A new random TLS PSK in the interchange format {@code nvme gen-tls-key} prints: {@code sha384} false gives
     * 32 bytes for SHA-256 ({@code NVMeTLSkey-1:01:...:}), true 48 bytes for SHA-384 ({@code :02:}).
     */
    default String generateTlsPsk(boolean sha384) {
        throw new UnsupportedOperationException("this dataplane has no TLS");
    }

    /**
     * Checks a TLS PSK in the interchange format: a {@link DataplaneException} with EINVAL (malformed), EMSGSIZE
     * (a length its hash does not take) or EBADMSG (the CRC does not match); the message never shows the PSK.
     */
    default void checkTlsPsk(String psk) {
        throw new UnsupportedOperationException("this dataplane has no TLS");
    }
}
