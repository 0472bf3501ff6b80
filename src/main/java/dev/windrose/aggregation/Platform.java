package dev.windrose.aggregation;

/** The compute-cluster platforms an aggregation can feed, each with its own published rules. */
public enum Platform {
    S2D("Storage Spaces Direct", MemberOs.WINDOWS),
    VSAN_OSA("vSAN Original Storage Architecture", MemberOs.ESXI),
    VSAN_ESA("vSAN Express Storage Architecture", MemberOs.ESXI);

    private final String label;
    private final MemberOs os;

    Platform(String label, MemberOs os) {
        this.label = label;
        this.os = os;
    }

    public String label() {
        return label;
    }

    /** The operating system the platform's members run. */
    public MemberOs os() {
        return os;
    }

    public boolean isVsan() {
        return this != S2D;
    }
}
