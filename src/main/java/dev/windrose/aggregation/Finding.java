package dev.windrose.aggregation;

/**
 * One rule's verdict on a proposal.
 *
 * @param rule a stable identifier, e.g. {@code s2d.capacity-drives}
 * @param message what is wrong and what to do, in words
 * @param source where the platform publishes the requirement (URL), or "Windrose" for the product's own limits
 */
public record Finding(Severity severity, String rule, String message, String source) {

    public enum Severity {
        /** The platform does not support the layout: nothing is created. */
        ERROR,
        /** Allowed, but unwise. */
        WARNING
    }

    public boolean blocking() {
        return severity == Severity.ERROR;
    }
}
