/**
 * NVMe-oF fabric management: subsystems, their namespaces (volumes), listeners and allowed hosts as
 * desired state, and the reconciler that applies them to the embedded dataplane. This package is the
 * module's API: {@link dev.windrose.fabric.FabricService} and its records; entities and the
 * reconciler live in {@code internal}.
 */
@NullMarked
package dev.windrose.fabric;

import org.jspecify.annotations.NullMarked;
