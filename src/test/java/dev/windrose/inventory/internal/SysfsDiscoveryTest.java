package dev.windrose.inventory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.DiskTransport;
import dev.windrose.inventory.HealthStatus;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery against a recorded sysfs/procfs tree (src/test/resources/sysfs/mixed-host): an NVMe drive, a
 * SATA SSD, a partitioned system disk with EFI, root and swap, a SAS disk under LVM whose volume is
 * mounted, a virtio disk, and a loop device and a DVD drive that are not disks.
 */
class SysfsDiscoveryTest {

    static final Path TREE = Path.of("src/test/resources/sysfs/mixed-host");
    static final Path RENAMED = Path.of("src/test/resources/sysfs/renamed-disks");

    private final Map<String, DiscoveredDisk> disks = new SysfsDiscovery(TREE.resolve("sys"), TREE.resolve("proc"))
            .discover().stream().collect(Collectors.toMap(DiscoveredDisk::name, Function.identity()));

    @Test
    void only_real_disks_are_found_not_loop_devices_device_mapper_or_optical_drives() {
        assertThat(disks).containsOnlyKeys("nvme0n1", "sda", "sdb", "sdc", "vda");
    }

    @Test
    void an_nvme_namespace_takes_model_serial_and_firmware_from_its_controller_in_class_nvme() {
        DiscoveredDisk nvme = disks.get("nvme0n1");
        assertThat(nvme.transport()).isEqualTo(DiskTransport.NVME);
        assertThat(nvme.model()).isEqualTo("Samsung SSD 980 PRO 1TB");
        assertThat(nvme.serial()).isEqualTo("S5GXNF0R123456");
        assertThat(nvme.firmware()).isEqualTo("5B2QGXA7");
        assertThat(nvme.sizeBytes()).isEqualTo(1953525168L * 512);
        assertThat(nvme.rotational()).isFalse();
        assertThat(nvme.nvmeController()).isEqualTo("nvme0");
        assertThat(nvme.inUseReasons()).isEmpty();
        assertThat(nvme.devicePath()).isEqualTo("/dev/nvme0n1");
    }

    @Test
    void a_sata_ssd_is_recognised_by_the_ata_vendor_and_its_serial_comes_from_vpd_page_80() {
        DiscoveredDisk sata = disks.get("sda");
        assertThat(sata.transport()).isEqualTo(DiskTransport.SATA);
        assertThat(sata.model()).isEqualTo("INTEL SSDSC2KB480G8");
        assertThat(sata.serial()).isEqualTo("PHYF123400AB480BGN");
        assertThat(sata.firmware()).isEqualTo("0110");
        assertThat(sata.logicalBlockSize()).isEqualTo(512);
        assertThat(sata.physicalBlockSize()).isEqualTo(4096);
        assertThat(sata.inUseReasons()).isEmpty();
    }

    @Test
    void the_partitioned_system_disk_is_in_use_for_the_os_the_efi_partition_and_swap() {
        DiscoveredDisk system = disks.get("sdb");
        assertThat(system.rotational()).isTrue();
        assertThat(system.inUseReasons()).containsExactly(
                "holds the operating system (sdb1 mounted at /boot/efi)",
                "holds the operating system (sdb2 mounted at /)",
                "sdb3 is swap space");
        assertThat(system.inUseReason()).contains("operating system");
    }

    @Test
    void a_disk_under_lvm_is_in_use_and_names_the_logical_volume_and_its_mount() {
        DiscoveredDisk lvm = disks.get("sdc");
        assertThat(lvm.transport()).isEqualTo(DiskTransport.SAS);
        assertThat(lvm.model()).isEqualTo("SEAGATE ST4000NM0023");
        assertThat(lvm.inUseReasons())
                .containsExactly("sdc is an LVM physical volume (vgdata-lvdata), mounted at /srv/data");
    }

    @Test
    void a_virtio_disk_reads_its_serial_from_the_block_directory() {
        DiscoveredDisk virtio = disks.get("vda");
        assertThat(virtio.transport()).isEqualTo(DiskTransport.VIRTIO);
        assertThat(virtio.serial()).isEqualTo("wr-lab-0001");
        assertThat(virtio.model()).isNull();
        assertThat(virtio.sizeBytes()).isEqualTo(10L * 1024 * 1024 * 1024);
        assertThat(virtio.inUseReasons()).isEmpty();
    }

    @Test
    void a_disk_with_partitions_nobody_mounted_is_still_never_offered(@TempDir Path root) throws Exception {
        Path sys = root.resolve("sys");
        Recorded.file(sys.resolve("block/sdx/size"), "2048");
        Recorded.file(sys.resolve("block/sdx/device/vendor"), "ATA");
        Recorded.file(sys.resolve("block/sdx/sdx1/partition"), "1");
        Recorded.file(sys.resolve("block/sdx/sdx1/dev"), "8:81");

        List<DiscoveredDisk> found = new SysfsDiscovery(sys, root.resolve("proc")).discover();

        assertThat(found).singleElement().extracting(DiscoveredDisk::inUseReasons)
                .isEqualTo(List.of("has partitions (sdx1)"));
    }

    @Test
    void every_disk_gets_an_identity_from_what_the_medium_reports_not_from_its_kernel_name() {
        assertThat(disks.get("sda").identity()).isEqualTo("serial:intel ssdsc2kb480g8/phyf123400ab480bgn");
        assertThat(disks.get("nvme0n1").identity()).isEqualTo("serial:samsung ssd 980 pro 1tb/s5gxnf0r123456");
        assertThat(disks.get("vda").identity()).isEqualTo("serial:/wr-lab-0001");
        assertThat(disks.get("sdb").identity()).isEqualTo("wwid:t10.ata wdc wd2500aakx-00erma0 wd-wcayu1234567");
        assertThat(disks.get("sdc").identity()).isEqualTo("wwid:naa.5000c500a1b2c3d4");
        assertThat(disks.values()).noneMatch(disk -> DiskIdentity.isKernelName(disk.identity()));
    }

    @Test
    void after_a_reboot_that_swapped_kernel_names_each_disk_keeps_its_identity() {
        Map<String, String> before = identities(RENAMED.resolve("before"));
        Map<String, String> after = identities(RENAMED.resolve("after"));

        assertThat(before).containsEntry("sda", "wwid:naa.5002538e4a1b0001")
                .containsEntry("sdb", "wwid:naa.5002538e4a1b0002")
                .containsEntry("nvme0n1", "nguid:e8238fa6-bf53-0001-001b-448b4a1b2c3d");
        assertThat(after).containsEntry("sda", before.get("sdb")).containsEntry("sdb", before.get("sda"))
                .containsEntry("nvme1n1", before.get("nvme0n1")).containsEntry("sdc", before.get("sdc"));
        assertThat(before.get("sdc")).isEqualTo("wwid:t10.ata kingston sa400s37240g 50026b7782a1b2c3");
    }

    @Test
    void an_nvme_namespace_with_zero_nguid_and_eui_is_named_by_its_wwid(@TempDir Path root) throws Exception {
        Path sys = root.resolve("sys");
        Recorded.file(sys.resolve("block/nvme0n1/size"), "2048");
        Recorded.file(sys.resolve("block/nvme0n1/device/model"), "QEMU NVMe Ctrl");
        Recorded.file(sys.resolve("block/nvme0n1/nguid"), "00000000-0000-0000-0000-000000000000");
        Recorded.file(sys.resolve("block/nvme0n1/eui"), "0000000000000000");
        Recorded.file(sys.resolve("block/nvme0n1/wwid"), "nvme.1b36-6465616462656566-51454d55204e564d65204374726c-00000001");

        assertThat(new SysfsDiscovery(sys, root.resolve("proc"), root.resolve("dev")).discover())
                .singleElement().extracting(DiscoveredDisk::identity)
                .isEqualTo("wwid:nvme.1b36-6465616462656566-51454d55204e564d65204374726c-00000001");
    }

    @Test
    void a_disk_without_wwid_or_serial_is_named_by_its_by_id_link_and_only_then_by_kernel_name(@TempDir Path root)
            throws Exception {
        Path sys = root.resolve("sys");
        Path byId = Files.createDirectories(root.resolve("dev/disk/by-id"));
        Recorded.file(sys.resolve("block/sdx/size"), "2048");
        Recorded.file(sys.resolve("block/sdx/device/vendor"), "ACME");
        Recorded.file(sys.resolve("block/sdy/size"), "2048");
        Recorded.file(sys.resolve("block/sdy/device/vendor"), "ACME");
        Files.createSymbolicLink(byId.resolve("usb-ACME_Stick_0001-0:0"), Path.of("../../sdx"));
        Files.createSymbolicLink(byId.resolve("usb-ACME_Stick_0001-0:0-part1"), Path.of("../../sdx1"));

        Map<String, String> found = identities(root.resolve("sys"), root.resolve("proc"), root.resolve("dev"));

        assertThat(found).containsEntry("sdx", "by-id:usb-acme_stick_0001-0:0").containsEntry("sdy", "name:sdy");
    }

    @Test
    void two_disks_claiming_one_serial_are_told_apart_by_kernel_name(@TempDir Path root) throws Exception {
        Path sys = root.resolve("sys");
        for (String name : List.of("sdx", "sdy")) {
            Recorded.file(sys.resolve("block/" + name + "/size"), "2048");
            Recorded.file(sys.resolve("block/" + name + "/device/vendor"), "JMicron");
            Recorded.file(sys.resolve("block/" + name + "/device/model"), "Generic");
            Recorded.file(sys.resolve("block/" + name + "/device/serial"), "0123456789ABCDEF");
        }

        assertThat(identities(sys, root.resolve("proc"), root.resolve("dev")))
                .containsEntry("sdx", "serial:jmicron generic/0123456789abcdef@sdx")
                .containsEntry("sdy", "serial:jmicron generic/0123456789abcdef@sdy");
    }

    private static Map<String, String> identities(Path tree) {
        return identities(tree.resolve("sys"), tree.resolve("proc"), tree.resolve("dev"));
    }

    private static Map<String, String> identities(Path sys, Path proc, Path dev) {
        return new SysfsDiscovery(sys, proc, dev).discover().stream()
                .collect(Collectors.toMap(DiscoveredDisk::name, DiscoveredDisk::identity));
    }

    @Test
    void a_mount_point_with_a_space_is_unescaped_from_mountinfo() {
        assertThat(SysfsDiscovery.unescape("/mnt/my\\040disk")).isEqualTo("/mnt/my disk");
    }

    @Test
    void a_missing_sysfs_is_an_error_not_an_empty_host(@TempDir Path empty) {
        assertThatThrownBy(() -> new SysfsDiscovery(empty, empty).discover())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("block");
    }

    @Test
    void without_smartctl_an_nvme_drive_reports_only_its_hwmon_temperature_and_unknown_health() {
        DiskHealth health = new HealthProbe(TREE.resolve("sys"), Path.of("/dev/nonexistent"), null)
                .probe(disks.get("nvme0n1"));
        assertThat(health.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(health.source()).isEqualTo("sysfs-hwmon");
        assertThat(health.temperatureCelsius()).isEqualTo(42);
        assertThat(health.percentageUsed()).isNull();
        assertThat(health.mediaErrors()).isNull();
    }

    @Test
    void without_smartctl_a_sata_disk_has_unknown_health_and_no_values_at_all() {
        DiskHealth health = new HealthProbe(TREE.resolve("sys"), Path.of("/dev/nonexistent"), null)
                .probe(disks.get("sda"));
        assertThat(health).isEqualTo(DiskHealth.unknown(
                "No health source: install smartmontools (smartctl) to read SMART data."));
    }
}
