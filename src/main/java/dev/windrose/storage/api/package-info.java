@NullMarked
package dev.windrose.storage.api;

import org.jspecify.annotations.NullMarked;
