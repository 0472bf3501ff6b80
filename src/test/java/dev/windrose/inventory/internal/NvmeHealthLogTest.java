package dev.windrose.inventory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.HealthStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The NVMe health log as the admin passthrough returns it (pages in src/test/resources/nvme), and the
 * passthrough's FFM binding against what this machine has: no NVMe controller, but /dev/null.
 */
class NvmeHealthLogTest {

    static final Path PAGES = Path.of("src/test/resources/nvme");
    static final Path TREE = Path.of("src/test/resources/sysfs/mixed-host");

    private final Map<String, DiscoveredDisk> disks = new SysfsDiscovery(TREE.resolve("sys"), TREE.resolve("proc"))
            .discover().stream().collect(Collectors.toMap(DiscoveredDisk::name, Function.identity()));

    @Test
    void a_healthy_drive_reports_ok_with_its_temperature_wear_and_no_media_errors() throws Exception {
        NvmeHealthLog log = NvmeHealthLog.parse(page("smart-log-healthy.bin"));

        assertThat(log.temperatureCelsius()).isEqualTo(40);
        assertThat(log.availableSparePercent()).isEqualTo(100);
        assertThat(log.powerOnHours()).isEqualTo(6_210);
        assertThat(log.unsafeShutdowns()).isEqualTo(87);
        DiskHealth health = log.toHealth();
        assertThat(health).isEqualTo(new DiskHealth(HealthStatus.OK, "nvme-admin",
                "NVMe health log: no critical warning; 100% spare, 6210 power-on hours", 40, 2, 0L, 0));
    }

    @Test
    void a_degraded_drive_below_its_spare_threshold_is_failing_and_says_every_reason() throws Exception {
        DiskHealth health = NvmeHealthLog.parse(page("smart-log-worn.bin")).toHealth();

        assertThat(health.status()).isEqualTo(HealthStatus.FAILING);
        assertThat(health.criticalWarning()).isEqualTo(0x05);
        assertThat(health.temperatureCelsius()).isEqualTo(76);
        assertThat(health.percentageUsed()).isEqualTo(103);
        assertThat(health.mediaErrors()).isEqualTo(7);
        assertThat(health.detail()).isEqualTo("NVMe health log: Critical Warning bit 0 (available spare below threshold), "
                + "Critical Warning bit 2 (reliability degraded), Percentage Used 103% (rated endurance used up), "
                + "Media and Data Integrity Errors 7");
    }

    @Test
    void a_read_only_drive_is_failing_and_a_counter_beyond_a_long_is_capped_not_wrapped() throws Exception {
        NvmeHealthLog log = NvmeHealthLog.parse(page("smart-log-read-only.bin"));

        assertThat(log.mediaErrors()).isEqualTo(Long.MAX_VALUE);
        assertThat(log.percentageUsed()).isEqualTo(255);
        assertThat(log.toHealth().status()).isEqualTo(HealthStatus.FAILING);
        assertThat(log.toHealth().detail()).contains("media placed in read-only mode");
    }

    @Test
    void a_drive_without_a_temperature_sensor_reports_no_temperature_rather_than_minus_273() {
        assertThat(NvmeHealthLog.parse(new byte[512]).temperatureCelsius()).isNull();
    }

    @Test
    void a_short_page_is_refused() {
        assertThatThrownBy(() -> NvmeHealthLog.parse(new byte[511])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_probe_asks_the_nvme_controller_node_for_log_page_2_of_512_bytes() throws Exception {
        byte[] recorded = page("smart-log-worn.bin");
        HealthProbe probe = new HealthProbe(TREE.resolve("sys"), Path.of("/dev"), null, (controller, logId, length) -> {
            assertThat(controller).isEqualTo(Path.of("/dev/nvme0"));
            assertThat(logId).isEqualTo(2);
            assertThat(length).isEqualTo(512);
            return recorded;
        });

        assertThat(probe.probe(disks.get("nvme0n1")).source()).isEqualTo("nvme-admin");
        assertThat(probe.probe(disks.get("nvme0n1")).status()).isEqualTo(HealthStatus.FAILING);
    }

    @Test
    void without_privilege_the_probe_says_so_and_falls_back_to_the_hwmon_temperature_only() {
        HealthProbe probe = new HealthProbe(TREE.resolve("sys"), Path.of("/dev"), null, (controller, logId, length) -> {
            throw new NvmeAdminPassthrough.PassthroughException("open " + controller, 13);
        });

        DiskHealth health = probe.probe(disks.get("nvme0n1"));

        assertThat(health.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(health.source()).isEqualTo("sysfs-hwmon");
        assertThat(health.temperatureCelsius()).isEqualTo(42);
        assertThat(health.percentageUsed()).isNull();
        assertThat(health.mediaErrors()).isNull();
        assertThat(health.detail()).contains("admin commands need root");
    }

    @Test
    void the_command_structure_has_the_kernels_72_bytes_and_the_ioctl_number_of_linux_nvme_ioctl_h() {
        assertThat(NvmeAdminPassthrough.ADMIN_CMD.byteSize()).isEqualTo(72);
        assertThat(NvmeAdminPassthrough.NVME_IOCTL_ADMIN_CMD).isEqualTo(0xC0484E41L);
    }

    @Test
    void the_real_passthrough_reports_a_missing_controller_by_its_errno() {
        assertThatThrownBy(() -> NvmeAdminPassthrough.getLogPage(Path.of("/dev/nvme-windrose-absent"), 2, 512))
                .isInstanceOfSatisfying(NvmeAdminPassthrough.PassthroughException.class,
                        e -> assertThat(e.errno()).isEqualTo(2));
    }

    @Test
    void the_real_passthrough_sends_the_ioctl_and_reports_a_device_that_is_not_nvme() {
        // /dev/null opens, and the kernel answers the admin ioctl with ENOTTY: the call went through.
        assertThatThrownBy(() -> NvmeAdminPassthrough.getLogPage(Path.of("/dev/null"), 2, 512))
                .isInstanceOfSatisfying(NvmeAdminPassthrough.PassthroughException.class,
                        e -> assertThat(e.errno()).isEqualTo(25));
    }

    private static byte[] page(String name) throws Exception {
        return Files.readAllBytes(PAGES.resolve(name));
    }
}
