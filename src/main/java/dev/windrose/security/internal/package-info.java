@NullMarked
package dev.windrose.security.internal;

import org.jspecify.annotations.NullMarked;
