package dev.windrose.inventory.internal;

import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the health out of {@code smartctl --json} output: the overall SMART verdict, the temperature,
 * for NVMe the health log (critical warnings, percentage used, media errors; judged as the kernel's
 * health log is, by {@link NvmeHealthLog#problems}), for ATA the attributes that failed. The detail names
 * each field that made the verdict. A value smartctl does not report stays null.
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

        List<String> problems = new ArrayList<>(NvmeHealthLog.problems(criticalWarning, percentageUsed, mediaErrors));
        problems.addAll(failingAtaAttributes(root.path("ata_smart_attributes").path("table")));
        HealthStatus status = NvmeHealthLog.failing(criticalWarning) ? HealthStatus.FAILING : status(passed, problems);
        String detail = switch (status) {
            case FAILING -> (Boolean.FALSE.equals(passed) ? "SMART overall-health self-assessment: FAILED" : "smartctl")
                    + (problems.isEmpty() ? "" : ": " + String.join(", ", problems));
            case WARNING -> "smartctl: " + String.join(", ", problems);
            case OK -> "SMART overall-health self-assessment: PASSED";
            case UNKNOWN -> "smartctl reported no overall assessment";
        };
        return new DiskHealth(status, SOURCE, detail, temperature, percentageUsed, mediaErrors, criticalWarning);
    }

    /**
     * ATA attributes whose normalized value is at or below their threshold, now or in the past
     * ({@code when_failed}), named with their id and name as smartctl prints them.
     */
    private static List<String> failingAtaAttributes(JsonNode table) {
        List<String> failing = new ArrayList<>();
        for (JsonNode attribute : table) {
            String whenFailed = attribute.path("when_failed").asString("");
            if (whenFailed.isBlank()) {
                continue;
            }
            String when = switch (whenFailed) {
                case "now" -> "failing now";
                case "past" -> "failed in the past";
                default -> "failed (" + whenFailed + ")";
            };
            failing.add("attribute " + attribute.path("id").asInt() + " " + attribute.path("name").asString("?") + " "
                    + when + " (value " + attribute.path("value").asInt() + ", threshold "
                    + attribute.path("thresh").asInt() + ")");
        }
        return failing;
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
