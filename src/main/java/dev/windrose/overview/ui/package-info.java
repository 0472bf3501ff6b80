/** The landing page after sign-in. */
@NullMarked
package dev.windrose.overview.ui;

import org.jspecify.annotations.NullMarked;
