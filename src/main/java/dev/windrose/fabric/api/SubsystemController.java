package dev.windrose.fabric.api;

import dev.windrose.cluster.NodeRequests;
import dev.windrose.inventory.HostId;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.ResponseEntity;

import dev.windrose.fabric.ConnectCommands;
import dev.windrose.fabric.ConnectionInfo;
import dev.windrose.fabric.DhchapPolicy;
import dev.windrose.fabric.DhchapService;
import java.time.Duration;
import java.time.Instant;
import org.springframework.web.bind.annotation.PutMapping;
import dev.windrose.fabric.Nqn;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.NewSubsystem;
import dev.windrose.fabric.SubsystemId;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.storage.VolumeId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
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

/**
 * Subsystems and what they hold. Changes answer the subsystem as stored right after the reconciler's
 * pass, so {@code state} and {@code lastError} already say whether the dataplane took it.
 */
@RestController
@RequestMapping("/api/v1/subsystems")
@Tag(name = "Subsystems", description = "NVMe-oF subsystems: namespaces, listeners, allowed hosts, live connections")
class SubsystemController {

    private final FabricService fabric;
    private final NodeRequests nodes;
    private final DhchapService dhchap;

    SubsystemController(FabricService fabric, NodeRequests nodes, DhchapService dhchap) {
        this.dhchap = dhchap;
        this.nodes = nodes;
        this.fabric = fabric;
    }

    /** serial (≤ 20) and model (≤ 40) are optional: a random serial and the model "Windrose" by default. */
    record NewSubsystemRequest(@NotBlank String nqn, @Nullable String serial, @Nullable String model,
            @Nullable Boolean allowAnyHost) {
    }

    record SubsystemChanges(@NotNull Boolean allowAnyHost) {
    }

    /** nsid is optional: the lowest free one by default. */
    record NewNamespaceRequest(@NotNull Long volumeId, @Nullable Integer nsid) {
    }

    /** transport is optional and can only be tcp. */
    /** {@code hostId}: the node whose address this is (this node when null); that node checks its port. */
    record NewListenerRequest(@Nullable String transport, @NotBlank String address, @NotNull Integer port,
            @Nullable Long hostId) {
    }


    record NewAllowedHostRequest(@NotBlank String hostNqn) {
    }

    /**
     * DH-HMAC-CHAP secrets of an allowed host (issue 17). Never echoed: toString names only what is present.
     */
    @Schema(description = "Sets or rotates an allowed host's DH-HMAC-CHAP secrets. hostSecret: a pasted secret "
            + "(DHHC-1:hh:<base64>:, as nvme gen-dhchap-key prints it); leave it out to have one generated with "
            + "keyLength bytes (32, 48 or 64; 32 by default). gracePeriodMinutes (0 to 1440, 10 by default): how long "
            + "the secret it replaces is still accepted. controller: KEEP (default), NONE or GENERATE the controller "
            + "secret for bidirectional authentication; controllerSecret pastes one instead.")
    record DhchapSecretsRequest(@Nullable String hostSecret, @Nullable Integer keyLength,
            @Nullable Integer gracePeriodMinutes, DhchapService.@Nullable ControllerSecret controller,
            @Nullable String controllerSecret) {

        @Override
        public String toString() {
            return "DhchapSecretsRequest[" + (hostSecret == null ? "generate" : "pasted") + "]";
        }
    }

    /**
     * The answer to setting secrets: generated ones are in it this once (pasted ones are not echoed); the
     * Linux connect command carries the secrets of this change.
     */
    record DhchapSecretsResponse(long allowedHostId, String hostNqn, @Nullable String hostSecret,
            @Nullable String controllerSecret, @Nullable Instant previousAcceptedUntil, String linuxConnect,
            SubsystemInfo subsystem) {

        @Override
        public String toString() {
            return "DhchapSecretsResponse[" + hostNqn + "]";
        }
    }

    record DhchapPolicyRequest(@NotNull List<DhchapPolicy.Hash> hashes, @NotNull List<DhchapPolicy.DhGroup> dhGroups) {
    }

    @GetMapping
    @Operation(summary = "All subsystems, by NQN")
    List<SubsystemInfo> list() {
        return fabric.list();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One subsystem with its namespaces, listeners and allowed hosts")
    SubsystemInfo get(@PathVariable long id) {
        return fabric.get(new SubsystemId(id));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a subsystem (operators)", description = "400 for an invalid NQN, serial or model; "
            + "409 when the NQN is taken. allowAnyHost defaults to false.")
    SubsystemInfo create(@Valid @RequestBody NewSubsystemRequest request) {
        SubsystemInfo created = fabric.create(new NewSubsystem(request.nqn(), request.serial(), request.model(),
                Boolean.TRUE.equals(request.allowAnyHost())));
        return fabric.get(created.id());
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Let any host connect, or only the allowed ones (operators)")
    SubsystemInfo change(@PathVariable long id, @Valid @RequestBody SubsystemChanges changes) {
        fabric.setAllowAnyHost(new SubsystemId(id), changes.allowAnyHost());
        return fabric.get(new SubsystemId(id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a subsystem (operators): connections close, its volumes become free")
    void delete(@PathVariable long id) {
        fabric.delete(new SubsystemId(id));
    }

    @PostMapping("/{id}/namespaces")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Attach a volume as a namespace (operators)",
            description = "409 when the NSID is taken or the volume is already attached.")
    SubsystemInfo addNamespace(@PathVariable long id, @Valid @RequestBody NewNamespaceRequest request) {
        fabric.addNamespace(new SubsystemId(id), new VolumeId(request.volumeId()), request.nsid());
        return fabric.get(new SubsystemId(id));
    }

    @DeleteMapping("/{id}/namespaces/{nsid}")
    @Operation(summary = "Detach a namespace (operators); the volume stays")
    SubsystemInfo removeNamespace(@PathVariable long id, @PathVariable int nsid) {
        fabric.removeNamespace(new SubsystemId(id), nsid);
        return fabric.get(new SubsystemId(id));
    }

    @PostMapping("/{id}/listeners")
    @Operation(summary = "Listen on an address and port of this node or, with hostId, of another node (operators)",
            description = "201 with the subsystem; 409 when the subsystem already listens there or another program "
                    + "holds the port. Another node checks its own port (503 when it is offline).")
    @ApiResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = SubsystemInfo.class)))
    ResponseEntity<Object> addListener(@PathVariable long id, @Valid @RequestBody NewListenerRequest request) {
        FabricService.NewListener listener = new FabricService.NewListener(new SubsystemId(id), request.transport(),
                request.address(), request.port());
        if (request.hostId() != null && !nodes.isLocal(new HostId(request.hostId()))) {
            return nodes.answer(nodes.ask(new HostId(request.hostId()), FabricService.ADD_LISTENER_ON_NODE, listener),
                    HttpStatus.CREATED);
        }
        fabric.addListener(listener.subsystem(), listener.transport(), listener.address(), listener.port());
        return ResponseEntity.status(HttpStatus.CREATED).body(fabric.get(listener.subsystem()));
    }

    @DeleteMapping("/{id}/listeners/{listenerId}")
    @Operation(summary = "Stop listening there (operators)")
    SubsystemInfo removeListener(@PathVariable long id, @PathVariable long listenerId) {
        fabric.removeListener(new SubsystemId(id), listenerId);
        return fabric.get(new SubsystemId(id));
    }

    @PostMapping("/{id}/hosts")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Allow a host NQN to connect (operators)", description = "409 when it is already allowed.")
    SubsystemInfo allowHost(@PathVariable long id, @Valid @RequestBody NewAllowedHostRequest request) {
        fabric.allowHost(new SubsystemId(id), request.hostNqn());
        return fabric.get(new SubsystemId(id));
    }

    @DeleteMapping("/{id}/hosts/{hostId}")
    @Operation(summary = "Disallow a host (operators): its connections close and it cannot connect again")
    SubsystemInfo disallowHost(@PathVariable long id, @PathVariable long hostId) {
        fabric.disallowHost(new SubsystemId(id), hostId);
        return fabric.get(new SubsystemId(id));
    }

    @PutMapping("/{id}/hosts/{hostId}/dhchap")
    @Operation(summary = "Set or rotate an allowed host's DH-HMAC-CHAP secrets (operators)",
            description = "A generated secret is answered this once and never again (GET says only when it was set). "
                    + "Replacing a secret keeps the old one accepted for gracePeriodMinutes, so connected hosts can be "
                    + "moved over; a pasted secret is checked as the dataplane checks it: 400 with what is wrong "
                    + "(prefix, hash field, base64, key length 32/48/64, checksum), or when the controller secret "
                    + "equals the host secret.")
    DhchapSecretsResponse setDhchap(@PathVariable long id, @PathVariable long hostId,
            @RequestBody DhchapSecretsRequest request) {
        DhchapService.SecretsIssued issued = dhchap.setSecrets(new SubsystemId(id), hostId, new DhchapService.SecretChange(
                request.hostSecret(), request.keyLength(),
                request.gracePeriodMinutes() == null ? null : Duration.ofMinutes(request.gracePeriodMinutes()),
                request.controller(), request.controllerSecret()));
        return new DhchapSecretsResponse(issued.allowedHostId(), issued.hostNqn(), issued.hostSecret(),
                issued.controllerSecret(), issued.previousAcceptedUntil(), issued.commands().linuxConnect(),
                fabric.get(new SubsystemId(id)));
    }

    @DeleteMapping("/{id}/hosts/{hostId}/dhchap")
    @Operation(summary = "Remove an allowed host's DH-HMAC-CHAP secrets (operators): it connects without authentication")
    SubsystemInfo clearDhchap(@PathVariable long id, @PathVariable long hostId) {
        dhchap.clearSecrets(new SubsystemId(id), hostId);
        return fabric.get(new SubsystemId(id));
    }

    @PutMapping("/{id}/dhchap-policy")
    @Operation(summary = "Which DH-HMAC-CHAP hash functions and DH groups hosts may use (operators)",
            description = "hashes: SHA256, SHA384, SHA512; dhGroups: NULL (no Diffie-Hellman), FFDHE2048, FFDHE3072, "
                    + "FFDHE4096, FFDHE6144, FFDHE8192. All by default; 400 when a list is empty.")
    SubsystemInfo setDhchapPolicy(@PathVariable long id, @Valid @RequestBody DhchapPolicyRequest request) {
        dhchap.setPolicy(new SubsystemId(id), java.util.Set.copyOf(request.hashes()),
                java.util.Set.copyOf(request.dhGroups()));
        return fabric.get(new SubsystemId(id));
    }

    @GetMapping("/{id}/connections")
    @Operation(summary = "Live controllers: host NQN, peer address, since when, I/O queue count")
    List<ConnectionInfo> connections(@PathVariable long id) {
        return fabric.connections(new SubsystemId(id));
    }

    @GetMapping("/{id}/connect-commands")
    @Operation(summary = "The commands the Connect panel shows: nvme-cli (Linux) and esxcli (ESXi)",
            description = "hostNqn is the host NQN to connect as; without it the Linux commands read the "
                    + "initiator's own from /etc/nvme/hostnqn. 400 for a malformed hostNqn.")
    ConnectCommands connectCommands(@PathVariable long id, @RequestParam(required = false) @Nullable String hostNqn) {
        String host = hostNqn == null || hostNqn.isBlank() ? null : Nqn.validate("hostNqn", hostNqn);
        return fabric.connectCommands(new SubsystemId(id), host);
    }
}
