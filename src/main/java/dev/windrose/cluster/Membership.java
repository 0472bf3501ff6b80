package dev.windrose.cluster;

/** Where a node stands in the cluster. */
public enum Membership {
    /** Registered itself and waits for an administrator (or never brought a valid join token). */
    ASKING,
    /** Accepted: reconciles its slice, runs its share of the cluster's jobs, serves the console. */
    MEMBER
}
