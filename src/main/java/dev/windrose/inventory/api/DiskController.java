package dev.windrose.inventory.api;

import dev.windrose.inventory.DiskFilter;
import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.DiskId;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskKind;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.DiskTransport;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.NewLabDisk;
import dev.windrose.inventory.RescanResult;
import dev.windrose.common.Paging;
import dev.windrose.common.Paging.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/disks")
@Tag(name = "Disks", description = "Disks discovered on the hosts, and file-backed lab disks")
class DiskController {

    private final DiskService disks;

    DiskController(DiskService disks) {
        this.disks = disks;
    }

    /**
     * A disk as the API shows it; {@code eligible} says whether a pool may take it, else {@code ineligibleReason}
     * says why. {@code identity} names the disk across reboots ({@code name} is the kernel's, which may change).
     */
    record DiskView(long id, long hostId, String hostName, String name, DiskKind kind, String devicePath,
            String identity,
            @Nullable String model, @Nullable String serial, @Nullable String firmware, DiskTransport transport,
            boolean rotational, long sizeBytes, int logicalBlockSize, int physicalBlockSize,
            @Nullable String inUseReason, @Nullable String claimedBy, boolean eligible,
            @Nullable String ineligibleReason, DiskHealth health, boolean present, Instant firstSeenAt,
            Instant lastSeenAt) {

        static DiskView of(DiskInfo disk) {
            return new DiskView(disk.id().value(), disk.hostId().value(), disk.hostName(), disk.name(), disk.kind(),
                    disk.devicePath(), disk.identity(), disk.model(), disk.serial(), disk.firmware(), disk.transport(),
                    disk.rotational(), disk.sizeBytes(), disk.logicalBlockSize(), disk.physicalBlockSize(),
                    disk.inUseReason(), disk.claimedBy(), disk.eligible(), disk.ineligibleReason(), disk.health(),
                    disk.present(), disk.firstSeenAt(), disk.lastSeenAt());
        }
    }

    /** A lab disk: a sparse file of {@code sizeBytes} (whole MiB) in {@code directory} (optional). */
    record NewLabDiskRequest(@NotBlank String name, @NotNull Long sizeBytes, @Nullable String directory) {
    }

    @GetMapping
    @Operation(summary = "A page of disks, filtered by host, kind, transport, text (name, model, serial) "
            + "and whether a pool may take them")
    PageView<DiskView> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
            @RequestParam(required = false) @Nullable Long hostId, @RequestParam(required = false) @Nullable DiskKind kind,
            @RequestParam(required = false) @Nullable DiskTransport transport,
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(defaultValue = "false") boolean eligible) {
        DiskFilter filter = new DiskFilter(hostId == null ? null : new HostId(hostId), kind, transport, q, eligible);
        return PageView.of(disks.list(filter, Paging.request(page, size)), DiskView::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One disk, with its health and why it is in use")
    DiskView get(@PathVariable long id) {
        return DiskView.of(disks.get(new DiskId(id)));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a file-backed lab disk on this host (administrators)",
            description = "Real disks are discovered, never created. 409 when the name is taken.")
    DiskView createLabDisk(@Valid @RequestBody NewLabDiskRequest request) {
        return DiskView.of(disks.createLabDisk(new NewLabDisk(request.name(), request.sizeBytes(), request.directory())));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a lab disk and its file (administrators); 409 while a pool uses it")
    void deleteLabDisk(@PathVariable long id) {
        disks.deleteLabDisk(new DiskId(id));
    }

    @PostMapping("/rescan")
    @Operation(summary = "Look for disks again now (operators)")
    RescanResult rescan() {
        return disks.rescan();
    }
}
