@NullMarked
package dev.windrose.security.ui;

import org.jspecify.annotations.NullMarked;
