package dev.windrose.mirror;

/** The two legs of a mirrored volume, as the witness names them. */
public enum Leg {
    A, B;

    public Leg other() {
        return this == A ? B : A;
    }

    /** The database's CHAR(1) form. */
    public static Leg of(String code) {
        return valueOf(code.strip());
    }
}
