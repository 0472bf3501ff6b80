package dev.windrose.dataplane;

/**
 * Whether a port (an address and port, shared by every subsystem listening there) takes TLS 1.3 (NVMe TCP
 * transport specification 3.6.1; the discovery log's TREQ "secure channel").
 */
public enum TlsMode {
    /** Plain NVMe/TCP only (the default). */
    NONE(0),
    /** TLS only: a connection that starts in plain NVMe/TCP is closed without an ICResp. */
    REQUIRED(1),
    /** Both: each connection chooses with its first bytes. */
    NOT_REQUIRED(2);

    final int code;

    TlsMode(int code) {
        this.code = code;
    }

    static TlsMode of(int code) {
        for (TlsMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        throw new IllegalArgumentException("no TLS mode has the code " + code);
    }
}
