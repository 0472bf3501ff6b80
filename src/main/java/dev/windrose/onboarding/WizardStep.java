package dev.windrose.onboarding;

import java.util.Optional;

/** The steps of the guided set-up, in order. */
public enum WizardStep {
    /** Name the cluster, confirm this host, choose the listener addresses. */
    CLUSTER("Cluster"),
    /** Choose disks, or create lab disks for trials. */
    DISKS("Disks"),
    /** Create a pool from the chosen disks (type suggested). */
    POOL("Pool"),
    /** Create the first volume(s). */
    VOLUMES("Volumes"),
    /** Create a subsystem with its namespaces, listeners and allowed host. */
    SUBSYSTEM("Subsystem"),
    /** Show the connect commands and wait for the first host. */
    CONNECT("Connect");

    private final String title;

    WizardStep(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** 1-based, as shown to people. */
    public int number() {
        return ordinal() + 1;
    }

    public Optional<WizardStep> next() {
        return ordinal() + 1 < values().length ? Optional.of(values()[ordinal() + 1]) : Optional.empty();
    }

    public Optional<WizardStep> previous() {
        return ordinal() > 0 ? Optional.of(values()[ordinal() - 1]) : Optional.empty();
    }
}
