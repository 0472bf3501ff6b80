package dev.windrose.mirror.api;

import dev.windrose.common.Paging.PageView;
import dev.windrose.mirror.MirrorService;
import dev.windrose.mirror.MirrorService.NewMirroredVolume;
import dev.windrose.mirror.MirroredVolumeInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/mirrored-volumes")
@Tag(name = "Mirrored volumes", description = "Volumes kept synchronously on two nodes, failing over with ANA")
class MirroredVolumeController {

    private final MirrorService mirrors;

    MirroredVolumeController(MirrorService mirrors) {
        this.mirrors = mirrors;
    }

    /** {@code sizeBytes} a whole number of MiB; the pools are directory pools of two different nodes. */
    record NewMirroredVolumeRequest(@NotBlank String name, @NotNull Long sizeBytes, @NotNull Long poolA,
            @NotNull Long poolB) {
    }

    @GetMapping
    @Operation(summary = "Every mirrored volume with its legs, the active node and the last failover")
    PageView<MirroredVolumeInfo> list() {
        List<MirroredVolumeInfo> all = mirrors.list();
        return new PageView<>(all, 0, all.size(), all.size());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One mirrored volume, with its recent events")
    MirroredVolumeInfo get(@PathVariable long id) {
        return mirrors.get(id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a mirrored volume (operators): a leg on each of two nodes",
            description = "Each node creates its leg in the given directory pool. 409 without PostgreSQL (the "
                    + "witness) or when the name is taken; 400 names the field (same node twice, a pool that is "
                    + "not a directory pool). Export it by attaching either leg's volume to a subsystem with "
                    + "listeners on both nodes.")
    MirroredVolumeInfo create(@Valid @RequestBody NewMirroredVolumeRequest request) {
        return mirrors.create(new NewMirroredVolume(request.name(), request.sizeBytes(), request.poolA(),
                request.poolB()));
    }

    @PostMapping("/{id}/hand-over")
    @Operation(summary = "Hand the active role to the other node (operators): maintenance without an I/O error",
            description = "The active node stops serving, the other takes over with both legs current; answers once "
                    + "it serves, with the pause hosts saw in lastFailoverMillis. 409 while the other leg is out of sync.")
    MirroredVolumeInfo handOver(@PathVariable long id) {
        return mirrors.handOver(id);
    }

    @PostMapping("/{id}/drill")
    @Operation(summary = "The failover drill (operators): over to the other node and back, with both pauses")
    MirrorService.DrillResult drill(@PathVariable long id) {
        return mirrors.drill(id);
    }

    @GetMapping("/maintenance/{nodeId}")
    @Operation(summary = "What node maintenance would cause: mirrors whose active role moves, lose redundancy, cannot move")
    MirrorService.MaintenancePlan maintenancePlan(@PathVariable long nodeId) {
        return mirrors.maintenancePlan(nodeId);
    }

    @PostMapping("/maintenance/{nodeId}")
    @Operation(summary = "Node maintenance (operators): every active role of the node handed to its partner",
            description = "409, with nothing moved, when a mirror active there has its other leg out of sync.")
    MirrorService.MaintenancePlan handOverAllFrom(@PathVariable long nodeId) {
        return mirrors.handOverAllFrom(nodeId);
    }

    @DeleteMapping("/maintenance/{nodeId}")
    @Operation(summary = "End node maintenance (operators): the active roles its maintenance moved away come back",
            description = "Each comes back as a planned hand-over once the node's leg is current; those still being "
                    + "resynchronised are listed in waiting and stay with the partner: end the maintenance again later.")
    MirrorService.MaintenanceEnd endMaintenance(@PathVariable long nodeId) {
        return mirrors.endMaintenance(nodeId);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a mirrored volume and both legs (operators); 409 while exported")
    void delete(@PathVariable long id) {
        mirrors.delete(id);
    }
}
