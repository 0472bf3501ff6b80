/**
 * Telemetry: one sampler turns the dataplane's statistics snapshots into rates and latency
 * percentiles per namespace, subsystem, host and the cluster ({@link dev.windrose.telemetry.TelemetryService}),
 * keeps them as history in the database, and raises events when alert thresholds are crossed
 * ({@link dev.windrose.telemetry.EventService}). This package is the module's API; the sampler,
 * history and alert evaluation live in {@code internal}, REST and the stream in {@code api}, views in {@code ui}.
 */
@NullMarked
package dev.windrose.telemetry;

import org.jspecify.annotations.NullMarked;
