@NullMarked
package dev.windrose.cluster.api;

import org.jspecify.annotations.NullMarked;
