package dev.windrose.storage.api;

import dev.windrose.cluster.NodeRequests;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.ResponseEntity;

import dev.windrose.inventory.HostId;
import dev.windrose.storage.NewVolume;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.Provisioning;
import dev.windrose.storage.VolumeId;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.Paging;
import dev.windrose.common.Paging.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Optional;
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
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/volumes")
@Tag(name = "Volumes", description = "Volumes carved from pools")
class VolumeController {

    private final VolumeService volumes;
    private final PoolService pools;
    private final NodeRequests nodes;

    VolumeController(VolumeService volumes, PoolService pools, NodeRequests nodes) {
        this.volumes = volumes;
        this.pools = pools;
        this.nodes = nodes;
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
    @Operation(summary = "Create a volume and its backing (operators), on the node of its pool",
            description = "201 with the volume; 409 when the name is taken or the pool is full; 400 names the invalid "
                    + "field. A pool of another node: that node creates it (503 when offline; 202 with the request to "
                    + "follow when it has not answered in time).")
    @ApiResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = VolumeInfo.class)))
    ResponseEntity<Object> create(@Valid @RequestBody NewVolumeRequest request) {
        NewVolume volume = new NewVolume(request.name(), new PoolId(request.poolId()), request.sizeBytes(),
                request.provisioning());
        Optional<PoolInfo> pool = poolOf(request);
        if (pool.isPresent() && !nodes.isLocal(pool.get().hostId())) {
            return nodes.answer(nodes.ask(pool.get().hostId(), VolumeService.CREATE_ON_NODE, volume), HttpStatus.CREATED);
        }
        // Here, or no such pool: the local call checks the fields in its order and names what is wrong.
        return ResponseEntity.status(HttpStatus.CREATED).body(volumes.create(volume));
    }

    private Optional<PoolInfo> poolOf(NewVolumeRequest request) {
        try {
            return Optional.of(pools.get(new PoolId(request.poolId())));
        } catch (NotFoundException missing) {
            return Optional.empty();
        }
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Grow a volume (operators); shrinking is refused; done by the volume's node")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = VolumeInfo.class)))
    ResponseEntity<Object> grow(@PathVariable long id, @Valid @RequestBody VolumeChanges changes) {
        VolumeService.Growth growth = new VolumeService.Growth(new VolumeId(id), changes.sizeBytes());
        VolumeInfo volume = volumes.get(new VolumeId(id));
        if (!nodes.isLocal(volume.hostId())) {
            return nodes.answer(nodes.ask(volume.hostId(), VolumeService.GROW_ON_NODE, growth), HttpStatus.OK);
        }
        return ResponseEntity.ok(volumes.grow(growth.volume(), growth.sizeBytes()));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a volume and its backing (operators); 409 while attached to a subsystem; done by "
            + "the volume's node")
    @ApiResponse(responseCode = "204")
    ResponseEntity<Object> delete(@PathVariable long id) {
        VolumeInfo volume = volumes.get(new VolumeId(id));
        if (!nodes.isLocal(volume.hostId())) {
            return nodes.answer(nodes.ask(volume.hostId(), VolumeService.DELETE_ON_NODE, new VolumeId(id)),
                    HttpStatus.NO_CONTENT);
        }
        volumes.delete(new VolumeId(id));
        return ResponseEntity.noContent().build();
    }
}
