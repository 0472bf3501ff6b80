package dev.windrose.dataplane;

/** Asymmetric Namespace Access state of an ANA group behind a listener (NVMe base spec 8.1.3). */
public enum AnaState {
    OPTIMIZED(1), NON_OPTIMIZED(2), INACCESSIBLE(3), PERSISTENT_LOSS(4), CHANGE(15);

    final int code;

    AnaState(int code) {
        this.code = code;
    }

    static AnaState of(int code) {
        for (AnaState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("no ANA state has the code " + code);
    }
}
