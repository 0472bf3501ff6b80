/**
 * The console side of telemetry: the live chart component, the charts of one object (cluster,
 * subsystem, namespace) with live and history ranges, the open-events badge, the events view and
 * the alert-thresholds editor. Exposed as the {@code ui} named interface because the dashboard
 * (overview) and the header (main layout) place these components.
 */
@NullMarked
@NamedInterface("ui")
package dev.windrose.telemetry.ui;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
