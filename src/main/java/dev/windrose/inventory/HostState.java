package dev.windrose.inventory;

/** Whether a host's heartbeat is recent. */
public enum HostState {
    /** Heartbeat within the last three intervals. */
    ONLINE,
    /** No heartbeat for three intervals or more: the host is down or cannot reach the database. */
    OFFLINE
}
