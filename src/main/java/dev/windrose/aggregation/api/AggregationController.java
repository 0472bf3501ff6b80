package dev.windrose.aggregation.api;

import dev.windrose.aggregation.AggregationId;
import dev.windrose.aggregation.AggregationInfo;
import dev.windrose.aggregation.AggregationService;
import dev.windrose.aggregation.AggregationSummary;
import dev.windrose.aggregation.ChangeReview;
import dev.windrose.aggregation.DriveGroup;
import dev.windrose.aggregation.DriveTier;
import dev.windrose.aggregation.Endpoint;
import dev.windrose.aggregation.InitiatorConfig;
import dev.windrose.aggregation.MemberOs;
import dev.windrose.aggregation.MemberStatus;
import dev.windrose.aggregation.NewAggregation;
import dev.windrose.aggregation.Platform;
import dev.windrose.aggregation.Proposal;
import dev.windrose.aggregation.ProposedMember;
import dev.windrose.aggregation.Review;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.Paging;
import dev.windrose.common.Paging.PageView;
import dev.windrose.storage.PoolId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
 * S2D and vSAN aggregations. {@code POST /checks} answers the rules' findings and the capacity plan without
 * creating anything; {@code POST} creates only a layout without errors (400 lists them in words).
 * {@code POST /{id}/checks} and {@code PATCH /{id}} do the same for a change of the members and their drives.
 */
@RestController
@RequestMapping("/api/v1/aggregations")
@Tag(name = "Aggregations", description = "S2D and vSAN clusters: each member its own subsystem and drives")
class AggregationController {

    private final AggregationService aggregations;

    AggregationController(AggregationService aggregations) {
        this.aggregations = aggregations;
    }

    /** listenerAddress and listenerPort default to the embedded target's own. */
    record NewAggregationRequest(@NotBlank String name, @NotNull Platform platform, @Nullable String listenerAddress,
            @Nullable Integer listenerPort, @NotEmpty List<@Valid @NotNull MemberRequest> members) {
    }

    /** The members as they are to be: a new name adds a member, a missing one is removed. */
    record ChangeRequest(@NotEmpty List<@Valid @NotNull MemberRequest> members) {
    }

    /** os defaults to the platform's (Windows Server for S2D, ESXi for vSAN). */
    record MemberRequest(@NotBlank String name, @Nullable MemberOs os, @NotBlank String hostNqn,
            @Nullable String address, @NotEmpty List<@Valid @NotNull DriveRequest> drives) {
    }

    /** tier defaults to CAPACITY; sizeBytes is a whole number of MiB, at least 1 GiB. */
    record DriveRequest(@Nullable DriveTier tier, @NotNull Integer count, @NotNull Long sizeBytes,
            @NotNull Long poolId) {
    }

    @GetMapping
    @Operation(summary = "A page of aggregations, by name")
    PageView<AggregationSummary> list(@RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return PageView.of(aggregations.list(Paging.request(page, size)), summary -> summary);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One aggregation: members, their subsystems and drives, capacity plan")
    AggregationInfo get(@PathVariable long id) {
        return aggregations.get(new AggregationId(id));
    }

    @PostMapping("/checks")
    @Operation(summary = "Check a layout against the platform's rules and plan its capacity; creates nothing")
    Review check(@Valid @RequestBody NewAggregationRequest request) {
        return aggregations.review(proposal(request));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an aggregation (operators)", description = "400 lists every broken rule in words; "
            + "409 when a name (aggregation, volume or subsystem NQN) is taken. All or nothing.")
    AggregationInfo create(@Valid @RequestBody NewAggregationRequest request) {
        Endpoint listener = null;
        if (request.listenerAddress() != null || request.listenerPort() != null) {
            if (request.listenerAddress() == null || request.listenerPort() == null) {
                throw new InvalidInputException(request.listenerAddress() == null ? "listenerAddress" : "listenerPort",
                        "Give both listenerAddress and listenerPort, or neither for the target's own.");
            }
            listener = new Endpoint(request.listenerAddress(), request.listenerPort());
        }
        return aggregations.create(new NewAggregation(proposal(request), listener));
    }

    @PostMapping("/{id}/checks")
    @Operation(summary = "Check a change of the members and their drives; changes nothing",
            description = "The rules' findings and the capacity plan of the aggregation as it would be, each step of the "
                    + "change in words, and the connected members it would cut off.")
    ChangeReview checkChange(@PathVariable long id, @Valid @RequestBody ChangeRequest request) {
        AggregationId aggregation = new AggregationId(id);
        return aggregations.reviewChange(aggregation, members(aggregations.get(aggregation).platform(), request.members()));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change the members and their drives (operators)", description = "Members are matched by "
            + "name: add one, remove one, change a member's host NQN, OS or address, or add drives. All or nothing. "
            + "400 lists every broken rule and what Windrose cannot change (fewer or resized drives) in words; 409 "
            + "when a connected member would be removed or cut off, unless force=true, or when a name is taken.")
    AggregationInfo change(@PathVariable long id, @Valid @RequestBody ChangeRequest request,
            @RequestParam(defaultValue = "false") boolean force) {
        AggregationId aggregation = new AggregationId(id);
        return aggregations.change(aggregation, members(aggregations.get(aggregation).platform(), request.members()),
                force);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an aggregation with its subsystems and volumes (operators)")
    void delete(@PathVariable long id) {
        aggregations.delete(new AggregationId(id));
    }

    @GetMapping("/{id}/status")
    @Operation(summary = "Per member: connected or not, over how many paths, namespaces served")
    List<MemberStatus> status(@PathVariable long id) {
        return aggregations.status(new AggregationId(id));
    }

    @GetMapping(value = "/{id}/members/{member}/initiator-config", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The member's initiator configuration as a file (ESXi, Linux or Windows)",
            description = "os defaults to the member's own.")
    ResponseEntity<String> initiatorConfig(@PathVariable long id, @PathVariable String member,
            @RequestParam(required = false) @Nullable MemberOs os) {
        InitiatorConfig config = aggregations.initiatorConfig(new AggregationId(id), member, os);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(config.fileName(), StandardCharsets.UTF_8).build().toString())
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .body(config.text());
    }

    private static Proposal proposal(NewAggregationRequest request) {
        return new Proposal(request.name().strip(), request.platform(), members(request.platform(), request.members()));
    }

    private static List<ProposedMember> members(Platform platform, List<MemberRequest> members) {
        return members.stream().map(m -> new ProposedMember(m.name().strip(), m.os() == null ? platform.os() : m.os(),
                m.hostNqn().strip(), m.address(), m.drives().stream().map(d -> new DriveGroup(d.tier() == null
                        ? DriveTier.CAPACITY : d.tier(), d.count(), d.sizeBytes(), new PoolId(d.poolId()))).toList()))
                .toList();
    }
}
