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
    void degraded_reliability_worn_out_endurance_and_media_errors_are_failing_and_each_field_is_named() throws Exception {
        // Critical Warning bit 2 is judged as the kernel's health log judges it (NvmeHealthLog): failing.
        DiskHealth health = parse("nvme-worn.json");
        assertThat(health.status()).isEqualTo(HealthStatus.FAILING);
        assertThat(health.detail()).isEqualTo("smartctl: Critical Warning bit 2 (reliability degraded), "
                + "Percentage Used 104% (rated endurance used up), Media and Data Integrity Errors 17");
        assertThat(health.temperatureCelsius()).isEqualTo(58);
    }

    @Test
    void a_failed_overall_assessment_is_failing() throws Exception {
        DiskHealth health = parse("sata-failed.json");
        assertThat(health.status()).isEqualTo(HealthStatus.FAILING);
        assertThat(health.detail()).isEqualTo("SMART overall-health self-assessment: FAILED");
        assertThat(health.temperatureCelsius()).isEqualTo(36);
        assertThat(health.percentageUsed()).isNull();
    }

    @Test
    void an_ata_attribute_that_failed_in_the_past_is_a_warning_that_names_the_attribute_and_its_threshold() throws Exception {
        DiskHealth health = parse("sata-attribute-failed.json");
        assertThat(health.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(health.detail()).isEqualTo(
                "smartctl: attribute 5 Reallocated_Sector_Ct failed in the past (value 30, threshold 36)");
    }

    @Test
    void a_spare_below_its_threshold_alone_is_a_warning_naming_the_bit() throws Exception {
        DiskHealth health = SmartctlReport.parse("""
                {"smart_status": {"passed": true},
                 "nvme_smart_health_information_log": {"critical_warning": 1, "percentage_used": 20, "media_errors": 0}}""");
        assertThat(health.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(health.detail()).isEqualTo("smartctl: Critical Warning bit 0 (available spare below threshold)");
    }

    @Test
    void output_without_an_assessment_stays_unknown_and_invents_nothing() throws Exception {
        DiskHealth health = parse("no-assessment.json");
        assertThat(health.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(health.temperatureCelsius()).isNull();
        assertThat(health.mediaErrors()).isNull();
    }
}
