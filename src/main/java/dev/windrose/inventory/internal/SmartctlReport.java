package dev.windrose.inventory.internal;

import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the health out of {@code smartctl --json} output: the overall SMART verdict, the temperature and,
 * for NVMe, the health log (critical warnings, percentage used, media errors). A value smartctl does not
 * report stays null.
 */
final class SmartctlReport {

    static final String SOURCE = "smartctl";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SmartctlReport() {
    }

    static DiskHealth parse(String json) {
        JsonNode root = JSON.readTree(json);
        JsonNode nvmeLog = root.path("nvme_smart_health_information_log");
        Boolean passed = bool(root.path("smart_status").path("passed"));
        Integer temperature = integer(root.path("temperature").path("current"));
        if (temperature == null) {
            temperature = integer(nvmeLog.path("temperature"));
        }
        Integer criticalWarning = integer(nvmeLog.path("critical_warning"));
        Integer percentageUsed = integer(nvmeLog.path("percentage_used"));
        Long mediaErrors = longValue(nvmeLog.path("media_errors"));

        List<String> problems = new ArrayList<>();
        if (criticalWarning != null && criticalWarning != 0) {
            problems.add("NVMe critical warning 0x" + Integer.toHexString(criticalWarning));
        }
        if (percentageUsed != null && percentageUsed >= 100) {
            problems.add("rated endurance used up (" + percentageUsed + "%)");
        }
        if (mediaErrors != null && mediaErrors > 0) {
            problems.add(mediaErrors + " media errors");
        }
        HealthStatus status = status(passed, problems);
        String detail = switch (status) {
            case FAILING -> "SMART overall assessment failed" + (problems.isEmpty() ? "" : ": " + String.join(", ", problems));
            case WARNING -> String.join(", ", problems);
            case OK -> "SMART overall assessment passed";
            case UNKNOWN -> "smartctl reported no overall assessment";
        };
        return new DiskHealth(status, SOURCE, detail, temperature, percentageUsed, mediaErrors, criticalWarning);
    }

    private static HealthStatus status(@Nullable Boolean passed, List<String> problems) {
        if (Boolean.FALSE.equals(passed)) {
            return HealthStatus.FAILING;
        }
        if (!problems.isEmpty()) {
            return HealthStatus.WARNING;
        }
        return passed == null ? HealthStatus.UNKNOWN : HealthStatus.OK;
    }

    private static @Nullable Boolean bool(JsonNode node) {
        return node.isBoolean() ? node.booleanValue() : null;
    }

    private static @Nullable Integer integer(JsonNode node) {
        return node.isIntegralNumber() ? node.intValue() : null;
    }

    private static @Nullable Long longValue(JsonNode node) {
        return node.isIntegralNumber() ? node.longValue() : null;
    }
}
