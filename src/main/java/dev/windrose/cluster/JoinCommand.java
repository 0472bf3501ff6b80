package dev.windrose.cluster;

/**
 * What to run on a new server so that it joins.
 *
 * @param clustered whether this console runs on PostgreSQL (with H2 there is no cluster to join: the
 *     command names PostgreSQL placeholders, and the nodes must first move to a shared PostgreSQL)
 */
public record JoinCommand(boolean clustered, String command) {
}
