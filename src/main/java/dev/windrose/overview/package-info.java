/**
 * The console's overview: what this node is running and who is signed in. It has no API of its
 * own; its view only reads other features' public APIs.
 */
@NullMarked
package dev.windrose.overview;

import org.jspecify.annotations.NullMarked;
