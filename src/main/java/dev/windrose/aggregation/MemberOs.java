package dev.windrose.aggregation;

/** What a member runs, which decides the initiator configuration it is given. */
public enum MemberOs {
    WINDOWS("Windows Server"),
    ESXI("VMware ESXi"),
    LINUX("Linux");

    private final String label;

    MemberOs(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
