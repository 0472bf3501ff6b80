/** REST API of the fabric feature: /api/v1/subsystems and its nested namespaces, listeners and hosts. */
@NullMarked
package dev.windrose.fabric.api;

import org.jspecify.annotations.NullMarked;
