/**
 * Pools and volumes. This package is the module's API: {@link dev.windrose.storage.PoolService},
 * {@link dev.windrose.storage.VolumeService} and their records. Entities, the extent allocator, the
 * on-disk pool label and the volume backings live in {@code internal}.
 */
@NullMarked
package dev.windrose.storage;

import org.jspecify.annotations.NullMarked;
