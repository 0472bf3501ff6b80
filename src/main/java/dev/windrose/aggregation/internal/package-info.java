@NullMarked
package dev.windrose.aggregation.internal;

import org.jspecify.annotations.NullMarked;
