package dev.windrose.inventory.internal;

import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.HealthStatus;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the system about a disk's health. An NVMe drive is asked directly for its SMART / Health log (log page
 * 02h) through the kernel's admin passthrough; otherwise {@code smartctl --json} when it is installed;
 * otherwise the temperature an NVMe controller exposes through hwmon in sysfs; otherwise nothing ("unknown",
 * with the reason). No value is ever estimated.
 */
final class HealthProbe {

    /** Reads one log page from an NVMe controller's character device. */
    @FunctionalInterface
    interface LogPageReader {
        byte[] read(Path controller, int logId, int length) throws NvmeAdminPassthrough.PassthroughException;
    }


    private static final Logger log = LoggerFactory.getLogger(HealthProbe.class);
    private static final long SMARTCTL_TIMEOUT_SECONDS = 15;
    /** smartctl's exit status bits 0-2: bad command line, device open failed, SMART command failed. */
    private static final int SMARTCTL_FATAL_BITS = 0b111;

    private final Path sys;
    private final Path dev;
    private final @Nullable Path smartctl;
    private final LogPageReader nvme;

    HealthProbe(Path sysfsRoot, Path devRoot, @Nullable Path smartctl) {
        this(sysfsRoot, devRoot, smartctl, NvmeAdminPassthrough::getLogPage);
    }

    HealthProbe(Path sysfsRoot, Path devRoot, @Nullable Path smartctl, LogPageReader nvme) {
        this.sys = sysfsRoot;
        this.dev = devRoot;
        this.smartctl = smartctl;
        this.nvme = nvme;
    }

    /** The configured smartctl, or the one on PATH, or null when there is none. */
    static @Nullable Path findSmartctl(@Nullable Path configured) {
        if (configured != null) {
            return Files.isExecutable(configured) ? configured : null;
        }
        String path = System.getenv("PATH");
        List<String> dirs = path == null ? List.of() : List.of(path.split(File.pathSeparator));
        return Stream.concat(dirs.stream(), Stream.of("/usr/sbin", "/sbin"))
                .map(dir -> Path.of(dir, "smartctl"))
                .filter(Files::isExecutable).findFirst().orElse(null);
    }

    DiskHealth probe(DiscoveredDisk disk) {
        String nvmeProblem = null;
        if (disk.nvmeController() != null) {
            try {
                return nvmeHealthLog(disk.nvmeController()).toHealth();
            } catch (NvmeAdminPassthrough.PassthroughException | IllegalArgumentException e) {
                nvmeProblem = e.getMessage();
                log.debug("NVMe health log of {} unreadable: {}", disk.nvmeController(), nvmeProblem);
            }
        }
        if (smartctl != null) {
            DiskHealth fromSmartctl = runSmartctl(disk.devicePath());
            if (fromSmartctl != null) {
                return fromSmartctl;
            }
        }
        String why = nvmeProblem == null ? "" : "The NVMe health log could not be read (" + nvmeProblem + "). ";
        if (disk.nvmeController() != null) {
            Integer temperature = nvmeTemperature(disk.nvmeController());
            if (temperature != null) {
                return new DiskHealth(HealthStatus.UNKNOWN, "sysfs-hwmon",
                        why + "sysfs exposes only the temperature.", temperature, null, null, null);
            }
        }
        return DiskHealth.unknown(why + (smartctl == null
                ? "No health source: install smartmontools (smartctl) to read SMART data."
                : "smartctl could not read this disk."));
    }

    NvmeHealthLog nvmeHealthLog(String controller) throws NvmeAdminPassthrough.PassthroughException {
        return NvmeHealthLog.parse(nvme.read(dev.resolve(controller), NvmeHealthLog.LOG_ID, NvmeHealthLog.SIZE));
    }

    /** hwmon reports millidegrees Celsius; temp1 is the composite temperature. */
    @Nullable Integer nvmeTemperature(String controller) {
        Path ctrl = sys.resolve("class/nvme").resolve(controller);
        try (Stream<Path> entries = Files.list(ctrl)) {
            return entries.filter(entry -> entry.getFileName().toString().startsWith("hwmon"))
                    .map(hwmon -> SysfsDiscovery.readText(hwmon.resolve("temp1_input")))
                    .filter(text -> text != null && text.matches("-?\\d+"))
                    .map(text -> Math.round(Long.parseLong(text) / 1000.0f))
                    .findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private @Nullable DiskHealth runSmartctl(String devicePath) {
        try {
            Process process = new ProcessBuilder(String.valueOf(smartctl), "--json", "-H", "-A", devicePath)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(SMARTCTL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            if ((process.exitValue() & SMARTCTL_FATAL_BITS) != 0) {
                return null;
            }
            return SmartctlReport.parse(new String(output, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            log.debug("smartctl failed for {}", devicePath, e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
