@NullMarked
package dev.windrose.aggregation.api;

import org.jspecify.annotations.NullMarked;
