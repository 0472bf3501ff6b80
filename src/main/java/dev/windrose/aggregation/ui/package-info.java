@NullMarked
package dev.windrose.aggregation.ui;

import org.jspecify.annotations.NullMarked;
