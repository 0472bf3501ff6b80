/**
 * Mirrored volumes (issue 16): one volume kept synchronously on two nodes, exported from both with NVMe ANA,
 * PostgreSQL as the witness that decides which leg is active. This package is the module's API:
 * {@link dev.windrose.mirror.MirrorService} for the console and REST, {@link dev.windrose.mirror.MirrorTopology}
 * for the fabric's reconciler; the witness, the liveness lock and the per-node coordinator live in
 * {@code internal}.
 */
@NullMarked
package dev.windrose.mirror;

import org.jspecify.annotations.NullMarked;
