/**
 * The cluster (issue 15): which nodes belong to it (a node asks to join and an administrator accepts
 * it, or it brings a join token), and the jobs that must run once per cluster however many nodes run
 * them. PostgreSQL is the only distributed engine: membership lives in its tables and the once-per-
 * cluster lock is Spring Integration's JDBC lock registry. With H2 the cluster is this one node.
 */
@NullMarked
package dev.windrose.cluster;

import org.jspecify.annotations.NullMarked;
