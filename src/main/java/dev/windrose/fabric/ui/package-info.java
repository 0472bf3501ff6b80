/** Views of the fabric feature: subsystems list, subsystem detail with the Connect panel. */
@NullMarked
package dev.windrose.fabric.ui;

import org.jspecify.annotations.NullMarked;
