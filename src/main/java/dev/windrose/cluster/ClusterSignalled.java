package dev.windrose.cluster;

/**
 * Published on a node when another node raised its signal: something for this node changed in the database
 * (a request to carry out, a change of the fabric). Features listen to catch up at once instead of waiting
 * for their periodic pass.
 */
public record ClusterSignalled(long generation) {
}
