package dev.windrose.cluster.api;

import dev.windrose.cluster.ClusterService;
import dev.windrose.cluster.CreatedJoinToken;
import dev.windrose.cluster.JoinCommand;
import dev.windrose.cluster.NodeInfo;
import dev.windrose.cluster.NodeRequestInfo;
import dev.windrose.cluster.NodeRequests;
import dev.windrose.inventory.HostId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
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
@RequestMapping("/api/v1/cluster")
@Tag(name = "Cluster", description = "The nodes of the cluster: who asks to join, accepting, renaming, removing; "
        + "join tokens for unattended installs")
class ClusterController {

    private final ClusterService cluster;
    private final NodeRequests requests;

    ClusterController(ClusterService cluster, NodeRequests requests) {
        this.requests = requests;
        this.cluster = cluster;
    }

    @GetMapping("/nodes")
    @Operation(summary = "Every node: members first, then nodes asking to join")
    List<NodeInfo> nodes() {
        return cluster.nodes();
    }

    @GetMapping("/nodes/{id}")
    @Operation(summary = "One node")
    NodeInfo node(@PathVariable long id) {
        return cluster.node(new HostId(id));
    }

    @PostMapping("/nodes/{id}/accept")
    @Operation(summary = "Accept a node that asks to join (admins)")
    NodeInfo accept(@PathVariable long id) {
        return cluster.accept(new HostId(id));
    }

    @PatchMapping("/nodes/{id}")
    @Operation(summary = "Rename a node (admins); restarts keep the name")
    NodeInfo rename(@PathVariable long id, @Valid @RequestBody Rename body) {
        return cluster.rename(new HostId(id), body.name());
    }

    @DeleteMapping("/nodes/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a stopped node, or turn away one asking to join (admins); 409 names what it "
            + "still holds")
    void remove(@PathVariable long id) {
        cluster.remove(new HostId(id));
    }

    @GetMapping("/join-command")
    @Operation(summary = "What to run on a new server so that it asks to join this cluster")
    JoinCommand joinCommand() {
        return cluster.joinCommand();
    }

    @PostMapping("/join-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a join token (admins): a node started with it joins without waiting; the secret "
            + "is shown only in this answer")
    CreatedJoinToken createJoinToken(@Valid @RequestBody NewJoinToken body) {
        return cluster.createJoinToken(Duration.ofHours(body.validHours()));
    }

    @GetMapping("/requests")
    @Operation(summary = "Changes asked of other nodes (pools, volumes, listeners created from another node's "
            + "console), newest first, with their outcome")
    List<NodeRequestInfo> requests(@RequestParam(defaultValue = "50") int limit) {
        return requests.recent(limit);
    }

    @GetMapping("/requests/{id}")
    @Operation(summary = "One change asked of another node: PENDING until the node carried it out, then DONE "
            + "(result: the node's answer), FAILED (the node's reason) or EXPIRED")
    NodeRequestInfo request(@PathVariable long id) {
        return requests.get(id);
    }

    record Rename(@NotBlank @Size(max = 255) String name) {
    }

    record NewJoinToken(@Min(1) @Max(720) int validHours) {
    }
}
