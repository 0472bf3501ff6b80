/** Fabric entities, repositories and the reconciler that applies them to the dataplane. */
@NullMarked
package dev.windrose.fabric.internal;

import org.jspecify.annotations.NullMarked;
