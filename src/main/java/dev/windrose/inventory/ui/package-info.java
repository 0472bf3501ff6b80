@NullMarked
package dev.windrose.inventory.ui;

import org.jspecify.annotations.NullMarked;
