/**
 * Small UI building blocks every feature's views use the same way: notices after an action, sizes
 * for people, a command to copy.
 */
@NullMarked
package dev.windrose.common.ui;

import org.jspecify.annotations.NullMarked;
