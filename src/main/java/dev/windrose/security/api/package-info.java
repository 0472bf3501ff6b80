@NullMarked
package dev.windrose.security.api;

import org.jspecify.annotations.NullMarked;
