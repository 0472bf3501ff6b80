@NullMarked
package dev.windrose.inventory.internal;

import org.jspecify.annotations.NullMarked;
