package dev.windrose.inventory.internal;

import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.HealthStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The NVMe SMART / Health Information log page (log identifier 02h, 512 bytes; NVMe Base Specification 2.0,
 * figure 207), as a controller returns it. Only the fields the console shows are decoded.
 *
 * @param criticalWarning byte 0: bit 0 spare below threshold, 1 temperature, 2 reliability degraded,
 *     3 read-only, 4 volatile memory backup failed, 5 persistent memory region read-only
 * @param temperatureKelvin bytes 1-2, the composite temperature
 * @param mediaErrors bytes 160-175, unrecovered data integrity errors (a 128-bit counter, capped here)
 */
public record NvmeHealthLog(int criticalWarning, int temperatureKelvin, int availableSparePercent,
        int availableSpareThresholdPercent, int percentageUsed, long mediaErrors, long powerOnHours,
        long unsafeShutdowns) {

    public static final int LOG_ID = 0x02;
    public static final int SIZE = 512;
    static final String SOURCE = "nvme-admin";
    /** Bits that mean the data itself is at risk or no longer writable. */
    private static final int FAILING_BITS = 0b0000_1100;
    private static final String[] WARNING_BITS = {
        "available spare below threshold", "temperature outside its threshold", "reliability degraded",
        "media placed in read-only mode", "volatile memory backup failed", "persistent memory region read-only"};

    public static NvmeHealthLog parse(byte[] page) {
        if (page.length < SIZE) {
            throw new IllegalArgumentException("SMART / Health log page has " + page.length + " bytes, not " + SIZE);
        }
        ByteBuffer log = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        return new NvmeHealthLog(Byte.toUnsignedInt(log.get(0)), Short.toUnsignedInt(log.getShort(1)),
                Byte.toUnsignedInt(log.get(3)), Byte.toUnsignedInt(log.get(4)), Byte.toUnsignedInt(log.get(5)),
                counter(log, 160), counter(log, 128), counter(log, 144));
    }

    /** A 128-bit little-endian counter; beyond 2^63-1 it is shown as Long.MAX_VALUE rather than wrapped. */
    private static long counter(ByteBuffer log, int offset) {
        long low = log.getLong(offset);
        long high = log.getLong(offset + 8);
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    /** A controller that reports 0 K has no temperature sensor. */
    public Integer temperatureCelsius() {
        return temperatureKelvin == 0 ? null : temperatureKelvin - 273;
    }

    public DiskHealth toHealth() {
        List<String> problems = problems(criticalWarning, percentageUsed, mediaErrors);
        HealthStatus status = failing(criticalWarning) ? HealthStatus.FAILING
                : problems.isEmpty() ? HealthStatus.OK : HealthStatus.WARNING;
        String detail = problems.isEmpty()
                ? "NVMe health log: no critical warning; " + availableSparePercent + "% spare, " + powerOnHours
                        + " power-on hours"
                : "NVMe health log: " + String.join(", ", problems);
        return new DiskHealth(status, SOURCE, detail, temperatureCelsius(), percentageUsed, mediaErrors,
                criticalWarning);
    }

    /**
     * What makes a health log not OK, each naming its field (the NVMe base specification's names) and
     * value, so a reader knows which one to look at: "Critical Warning bit 2 (reliability degraded)",
     * "Percentage Used 104% (rated endurance used up)", "Media and Data Integrity Errors 17". Shared with
     * the smartctl reading, so both sources give the same words and the same verdict.
     */
    static List<String> problems(@Nullable Integer criticalWarning, @Nullable Integer percentageUsed,
            @Nullable Long mediaErrors) {
        List<String> problems = new ArrayList<>();
        if (criticalWarning != null) {
            for (int bit = 0; bit < WARNING_BITS.length; bit++) {
                if ((criticalWarning & (1 << bit)) != 0) {
                    problems.add("Critical Warning bit " + bit + " (" + WARNING_BITS[bit] + ")");
                }
            }
            if ((criticalWarning & ~((1 << WARNING_BITS.length) - 1)) != 0) {
                problems.add("Critical Warning 0x" + Integer.toHexString(criticalWarning) + " (reserved bits set)");
            }
        }
        if (percentageUsed != null && percentageUsed >= 100) {
            problems.add("Percentage Used " + percentageUsed + "% (rated endurance used up)");
        }
        if (mediaErrors != null && mediaErrors > 0) {
            problems.add("Media and Data Integrity Errors " + mediaErrors);
        }
        return problems;
    }

    /** Read-only media or degraded reliability: the data itself is at risk, not only the drive's future. */
    static boolean failing(@Nullable Integer criticalWarning) {
        return criticalWarning != null && (criticalWarning & FAILING_BITS) != 0;
    }
}
