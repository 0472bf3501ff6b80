package dev.windrose.aggregation;

/** An address and TCP port an initiator connects to. IPv6 literals are kept without brackets. */
public record Endpoint(String address, int port) {
}
