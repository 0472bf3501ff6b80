package dev.windrose.dataplane;

/**
 * The two forms of HKDF-Expand-Label in use for the NVMe/TCP TLS PSK (retained PSK and TLS PSK). A host's
 * version-1 PSK identity carries a digest that tells which form it used, so both are accepted; for a
 * version-0 identity ({@code NVMe0R0h <hostnqn> <subnqn>}, nvme-cli's default) the form configured with the
 * PSK decides.
 */
public enum TlsPskDerivation {
    /** What nvme-cli 2.x (libnvme before its 2025 fix; Debian trixie's 2.13) puts into the host's keyring. */
    LIBNVME(0),
    /** RFC 8446's HKDF-Expand-Label as the specification says: SPDK, newer libnvme (nvme-cli without --compat). */
    RFC8446(1);

    final int code;

    TlsPskDerivation(int code) {
        this.code = code;
    }
}
