/** The console's Nodes page; {@link dev.windrose.cluster.ui.ClusterNavigation} is how other features link to it. */
@NullMarked
package dev.windrose.cluster.ui;

import org.jspecify.annotations.NullMarked;
