package dev.windrose.mirror;

/** Where a node serves the replica subsystems its partners write to (an IP literal and a port). */
public record ReplicationEndpoint(String address, int port) {
}
