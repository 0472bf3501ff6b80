/**
 * Hosts and their disks. This package is the module's API: {@link dev.windrose.inventory.HostService},
 * {@link dev.windrose.inventory.DiskService}, their records and events. Discovery from sysfs/procfs,
 * entities and scheduling live in {@code internal}.
 */
@NullMarked
package dev.windrose.inventory;

import org.jspecify.annotations.NullMarked;
