@NullMarked
package dev.windrose.inventory.api;

import org.jspecify.annotations.NullMarked;
