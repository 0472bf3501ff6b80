package dev.windrose.inventory;

/** A disk's health verdict; {@link #UNKNOWN} whenever the system cannot tell. */
public enum HealthStatus {
    OK, WARNING, FAILING, UNKNOWN
}
