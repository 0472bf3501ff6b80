package dev.windrose.telemetry;

public enum Severity {
    WARNING,
    CRITICAL
}
