@NullMarked
package dev.windrose.storage.internal;

import org.jspecify.annotations.NullMarked;
