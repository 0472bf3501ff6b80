package dev.windrose.storage.api;

import dev.windrose.cluster.NodeRequests;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.ResponseEntity;

import dev.windrose.inventory.DiskId;
import dev.windrose.inventory.HostId;
import dev.windrose.storage.ImportablePool;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.PoolImportService;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolLabelInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import dev.windrose.common.Paging;
import dev.windrose.common.Paging.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.UUID;
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
@RequestMapping("/api/v1/pools")
@Tag(name = "Pools", description = "Storage pools: disks, a directory or RAM, with their capacity")
class PoolController {


    private final PoolService pools;
    private final PoolImportService imports;
    private final NodeRequests nodes;

    PoolController(PoolService pools, PoolImportService imports, NodeRequests nodes) {
        this.pools = pools;
        this.imports = imports;
        this.nodes = nodes;
    }

    /** Which found pool to import ({@code poolUuid} from {@code GET /importable}); {@code name} renames it. */
    record ImportRequest(@NotNull UUID poolUuid, @Nullable String name) {
    }

    /**
     * A pool to create: {@code directory} for DIRECTORY, {@code capacityBytes} for MEMORY, {@code diskIds} for
     * DISK; {@code overcommitPercent} (100-1000) for DIRECTORY pools only; {@code overwriteForeignLabels} lets a DISK
     * pool take disks labelled by a pool this database does not know (refused otherwise, so it can be imported);
     * {@code hostId} puts it on another node of the cluster (this node when null), which checks the directory
     * or disks itself.
     */
    record NewPoolRequest(@NotBlank String name, @NotNull PoolType type, @Nullable String directory,
            @Nullable Long capacityBytes, @Nullable List<Long> diskIds, @Nullable Integer overcommitPercent,
            @Nullable Boolean overwriteForeignLabels, @Nullable Long hostId) {
    }

    record PoolChanges(@NotNull Integer overcommitPercent) {
    }

    @GetMapping
    @Operation(summary = "A page of pools with capacity, allocation and use, filtered by host and type")
    PageView<PoolInfo> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
            @RequestParam(required = false) @Nullable Long hostId, @RequestParam(required = false) @Nullable PoolType type) {
        return PageView.of(pools.list(hostId == null ? null : new HostId(hostId), type, Paging.request(page, size)),
                pool -> pool);
    }

    @GetMapping("/labels")
    @Operation(summary = "Windrose pool labels found on this host's free disks, with the pool each belongs to",
            description = "knownPool is null for a label of a pool this database does not know.")
    List<PoolLabelInfo> labels() {
        return pools.labels();
    }

    @GetMapping("/importable")
    @Operation(summary = "DISK pools whose labels are on this host's free disks but which this database does not know",
            description = "Each says whether it can be imported and, if not, why (a missing member, no volume map).")
    List<ImportablePool> importable() {
        return imports.importable();
    }

    @PostMapping("/import")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Import a found DISK pool with its volumes (operators)",
            description = "409 with the reason when members are missing, the map is unreadable or a name is taken; "
                    + "404 when no free disk carries the pool's label.")
    PoolInfo importPool(@Valid @RequestBody ImportRequest request) {
        return imports.importPool(request.poolUuid(), request.name());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One pool")
    PoolInfo get(@PathVariable long id) {
        return pools.get(new PoolId(id));
    }

    @PostMapping
    @Operation(summary = "Create a pool on this node or, with hostId, on another node of the cluster (operators)",
            description = "201 with the pool; 409 when the name is taken or a disk is in use; 400 names the invalid "
                    + "field. For another node: its answer, prefixed with its name; 503 when it is offline; 202 with "
                    + "the request to follow (GET /api/v1/cluster/requests/{id}) when it has not answered in time.")
    @ApiResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = PoolInfo.class)))
    ResponseEntity<Object> create(@Valid @RequestBody NewPoolRequest request) {
        List<DiskId> disks = request.diskIds() == null ? List.of() : request.diskIds().stream().map(DiskId::new).toList();
        NewPool pool = new NewPool(request.name(), request.type(), request.directory(), request.capacityBytes(),
                disks, request.overcommitPercent(), Boolean.TRUE.equals(request.overwriteForeignLabels()));
        if (request.hostId() != null && !nodes.isLocal(new HostId(request.hostId()))) {
            return nodes.answer(nodes.ask(new HostId(request.hostId()), PoolService.CREATE_ON_NODE, pool),
                    HttpStatus.CREATED);
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(pools.create(pool));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change a directory pool's overcommit limit (operators)")
    PoolInfo update(@PathVariable long id, @Valid @RequestBody PoolChanges changes) {
        return pools.setOvercommit(new PoolId(id), changes.overcommitPercent());
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a pool without volumes (operators); 409 names the volumes still in it",
            description = "204 when deleted. A pool of another node is deleted by that node (503 when it is offline).")
    @ApiResponse(responseCode = "204")
    ResponseEntity<Object> delete(@PathVariable long id) {
        PoolInfo pool = pools.get(new PoolId(id));
        if (!nodes.isLocal(pool.hostId())) {
            return nodes.answer(nodes.ask(pool.hostId(), PoolService.DELETE_ON_NODE, new PoolId(id)),
                    HttpStatus.NO_CONTENT);
        }
        pools.delete(new PoolId(id));
        return ResponseEntity.noContent().build();
    }
}
