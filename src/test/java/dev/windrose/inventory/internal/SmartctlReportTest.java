package dev.windrose.inventory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.HealthStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Health from recorded {@code smartctl --json} output. */
class SmartctlReportTest {

    private static DiskHealth parse(String file) throws Exception {
        return SmartctlReport.parse(Files.readString(Path.of("src/test/resources/smartctl", file)));
    }

    @Test
    void a_healthy_nvme_drive_is_ok_with_its_health_log_values() throws Exception {
        DiskHealth health = parse("nvme-healthy.json");
        assertThat(health.status()).isEqualTo(HealthStatus.OK);
        assertThat(health.source()).isEqualTo("smartctl");
        assertThat(health.temperatureCelsius()).isEqualTo(41);
        assertThat(health.percentageUsed()).isEqualTo(3);
        assertThat(health.mediaErrors()).isZero();
        assertThat(health.criticalWarning()).isZero();
    }

    @Test
    void critical_warnings_worn_out_endurance_and_media_errors_make_a_warning_that_names_each() throws Exception {
        DiskHealth health = parse("nvme-worn.json");
        assertThat(health.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(health.detail()).isEqualTo("NVMe critical warning 0x4, rated endurance used up (104%), 17 media errors");
        assertThat(health.temperatureCelsius()).isEqualTo(58);
    }

    @Test
    void a_failed_overall_assessment_is_failing() throws Exception {
        DiskHealth health = parse("sata-failed.json");
        assertThat(health.status()).isEqualTo(HealthStatus.FAILING);
        assertThat(health.temperatureCelsius()).isEqualTo(36);
        assertThat(health.percentageUsed()).isNull();
    }

    @Test
    void output_without_an_assessment_stays_unknown_and_invents_nothing() throws Exception {
        DiskHealth health = parse("no-assessment.json");
        assertThat(health.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(health.temperatureCelsius()).isNull();
        assertThat(health.mediaErrors()).isNull();
    }
}
