package dev.windrose.inventory;

import org.jspecify.annotations.Nullable;

/**
 * What the system tells about a disk's health. Every measurement is null when no source reported it:
 * nothing is ever estimated.
 *
 * @param source where the values come from, e.g. {@code smartctl}, {@code sysfs-hwmon}; null when unknown
 * @param detail a sentence for people, e.g. why the status is not OK
 */
public record DiskHealth(HealthStatus status, @Nullable String source, @Nullable String detail,
        @Nullable Integer temperatureCelsius, @Nullable Integer percentageUsed, @Nullable Long mediaErrors,
        @Nullable Integer criticalWarning) {

    public static DiskHealth unknown(String why) {
        return new DiskHealth(HealthStatus.UNKNOWN, null, why, null, null, null, null);
    }
}
