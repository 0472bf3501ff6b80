package dev.windrose.storage.api;

import dev.windrose.inventory.HostId;
import dev.windrose.storage.NewVolume;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.Provisioning;
import dev.windrose.storage.VolumeId;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import dev.windrose.common.Paging;
import dev.windrose.common.Paging.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/volumes")
@Tag(name = "Volumes", description = "Volumes carved from pools")
class VolumeController {

    private final VolumeService volumes;

    VolumeController(VolumeService volumes) {
        this.volumes = volumes;
    }

    /** {@code sizeBytes} is a whole number of MiB; {@code provisioning} defaults to THIN in directory pools, else THICK. */
    record NewVolumeRequest(@NotBlank String name, @NotNull Long poolId, @NotNull Long sizeBytes,
            @Nullable Provisioning provisioning) {
    }

    /** The new, larger size. */
    record VolumeChanges(@NotNull Long sizeBytes) {
    }

    @GetMapping
    @Operation(summary = "A page of volumes, filtered by pool, host and name")
    PageView<VolumeInfo> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
            @RequestParam(required = false) @Nullable Long poolId, @RequestParam(required = false) @Nullable Long hostId,
            @RequestParam(required = false) @Nullable String q) {
        return PageView.of(volumes.list(poolId == null ? null : new PoolId(poolId), hostId == null ? null : new HostId(hostId),
                q, Paging.request(page, size)), volume -> volume);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One volume")
    VolumeInfo get(@PathVariable long id) {
        return volumes.get(new VolumeId(id));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a volume and its backing (operators)",
            description = "409 when the name is taken or the pool is full; 400 names the invalid field.")
    VolumeInfo create(@Valid @RequestBody NewVolumeRequest request) {
        return volumes.create(new NewVolume(request.name(), new PoolId(request.poolId()), request.sizeBytes(),
                request.provisioning()));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Grow a volume (operators); shrinking is refused")
    VolumeInfo grow(@PathVariable long id, @Valid @RequestBody VolumeChanges changes) {
        return volumes.grow(new VolumeId(id), changes.sizeBytes());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a volume and its backing (operators); 409 while attached to a subsystem")
    void delete(@PathVariable long id) {
        volumes.delete(new VolumeId(id));
    }
}
