@NullMarked
package dev.windrose.cluster.internal;

import org.jspecify.annotations.NullMarked;
