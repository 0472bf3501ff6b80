@NullMarked
package dev.windrose.storage.ui;

import org.jspecify.annotations.NullMarked;
