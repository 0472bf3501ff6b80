package dev.windrose.telemetry;

/** A way events leave the console. */
public enum DeliveryChannel {
    EMAIL,
    WEBHOOK
}
