/**
 * The dashboard, the landing page: what needs attention, capacity, the live cluster activity and this node. It has no API of its
 * own; its view only reads other features' public APIs.
 */
@NullMarked
package dev.windrose.overview;

import org.jspecify.annotations.NullMarked;
