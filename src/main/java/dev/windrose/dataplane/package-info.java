/**
 * The Java side of libwindrose (dataplane-native/include/windrose.h). {@link Dataplane} is the only
 * type the rest of the application sees; the FFM binding behind it is package-private.
 */
@NullMarked
package dev.windrose.dataplane;

import org.jspecify.annotations.NullMarked;
