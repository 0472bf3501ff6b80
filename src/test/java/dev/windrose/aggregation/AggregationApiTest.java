package dev.windrose.aggregation;

import static dev.windrose.support.TestValues.body;
import static dev.windrose.support.TestValues.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Aggregations through the REST API against the context's real embedded target: refused layouts create
 * nothing, a valid one makes per member a subsystem admitting only that member, a failure part-way leaves
 * nothing behind (rows, files, subsystems), and deleting removes all of it.
 */
@SpringBootTest(properties = "windrose.test-context=aggregation-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class AggregationApiTest {

    static final long GIB = 1024L * 1024 * 1024;

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;

    String token;
    /** The test's pool directory; JUnit removes it afterwards, once the aggregations in it are deleted. */
    @TempDir
    Path directory;
    long pool;

    @BeforeEach
    void signInAndMakeAPool() throws Exception {
        token = new ApiTokens(mvc, users).admin();
        pool = ((Number) JsonPath.read(body(json(post("/api/v1/pools"), "{\"name\":\"" + unique("flash")
                + "\",\"type\":\"DIRECTORY\",\"directory\":\"" + directory + "\",\"overcommitPercent\":1000}")
                .andExpect(status().isCreated())), "$.id")).longValue();
    }

    /** Removes what the test made: its aggregations (subsystems, volumes, files), then its pool. */
    @AfterEach
    void deleteWhatTheTestMade() throws Exception {
        List<Integer> ids = JsonPath.read(body(as(get("/api/v1/aggregations").param("size", "500"))), "$.items[*].id");
        for (int id : ids) {
            as(delete("/api/v1/aggregations/" + id)).andExpect(status().isNoContent());
        }
        as(delete("/api/v1/pools/" + pool)).andExpect(status().isNoContent());
    }

    @Test
    void a_layout_that_breaks_a_rule_is_refused_in_words_and_creates_nothing() throws Exception {
        String name = unique("bad");
        json(post("/api/v1/aggregations"), s2d(name, 3))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("members"))
                .andExpect(jsonPath("$.detail", containsString("node1 has 3 capacity drives; Storage Spaces Direct "
                        + "needs at least 4 per server.")));
        assertThat(filesInPool()).isEmpty();
        as(get("/api/v1/volumes").param("q", name)).andExpect(jsonPath("$.totalItems").value(0));
    }

    @Test
    void a_check_shows_findings_and_the_capacity_plan_to_a_viewer_and_creates_nothing() throws Exception {
        String viewer = new ApiTokens(mvc, users).userWithRole(Role.VIEWER);
        String name = unique("plan");
        mvc.perform(post("/api/v1/aggregations/checks").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON).content(s2d(name, 4)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.allowed").value(true))
                .andExpect(jsonPath("$.plan.rawBytes").value(8 * GIB))
                .andExpect(jsonPath("$.plan.options[0].name").value("Two-way mirror"))
                // 8 GiB raw, reserve 2 x 1 GiB: 3 GiB two-way mirrored.
                .andExpect(jsonPath("$.plan.options[0].usableBytes").value(3 * GIB))
                .andExpect(jsonPath("$.findings[?(@.rule == 'placement.one-host')].severity").value("WARNING"));
        mvc.perform(post("/api/v1/aggregations").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON).content(s2d(name, 4)))
                .andExpect(status().isForbidden());
        assertThat(filesInPool()).isEmpty();
    }

    @Test
    void an_aggregation_gives_each_member_its_own_subsystem_and_deleting_it_removes_everything() throws Exception {
        String name = unique("s2d");
        String created = body(json(post("/api/v1/aggregations"), s2d(name, 4))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.name").value(name))
                .andExpect(jsonPath("$.platform").value("S2D"))
                .andExpect(jsonPath("$.members", hasSize(2)))
                .andExpect(jsonPath("$.members[0].subsystemNqn").value(AggregationService.NQN_PREFIX + name + ".node1"))
                .andExpect(jsonPath("$.members[0].drives", hasSize(4))));
        int id = JsonPath.read(created, "$.id");
        assertThat(filesInPool()).hasSize(8);

        for (int member = 0; member < 2; member++) {
            int subsystem = JsonPath.read(created, "$.members[" + member + "].subsystemId");
            as(get("/api/v1/subsystems/" + subsystem))
                    .andExpect(jsonPath("$.allowAnyHost").value(false))
                    .andExpect(jsonPath("$.allowedHosts", hasSize(1)))
                    .andExpect(jsonPath("$.allowedHosts[0].hostNqn").value(hostNqn(member + 1)))
                    .andExpect(jsonPath("$.namespaces", hasSize(4)))
                    .andExpect(jsonPath("$.listeners", hasSize(1)))
                    .andExpect(jsonPath("$.state").value("APPLIED"));
        }
        as(get("/api/v1/aggregations/" + id + "/status"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].name").value("node1"))
                .andExpect(jsonPath("$[0].connected").value(false))
                .andExpect(jsonPath("$[0].paths").value(0))
                .andExpect(jsonPath("$[0].namespacesApplied").value(4))
                .andExpect(jsonPath("$[0].namespaces").value(4));
        as(get("/api/v1/aggregations/" + id + "/members/node2/initiator-config").param("os", "LINUX"))
                .andExpect(status().isOk())
                .andExpect(header().string(HttpHeaders.CONTENT_DISPOSITION, containsString("attachment")))
                .andExpect(header().string(HttpHeaders.CONTENT_DISPOSITION, containsString(name + "-node2-linux.sh")))
                .andExpect(content().string(containsString(" -n " + AggregationService.NQN_PREFIX + name + ".node2 -q "
                        + hostNqn(2))));
        as(get("/api/v1/aggregations").param("size", "500"))
                .andExpect(jsonPath("$.items[?(@.name == '" + name + "')].members").value(2));
        as(get("/api/v1/audit").param("size", "50"))
                .andExpect(jsonPath("$.entries[?(@.action == 'AGGREGATION_CREATED' && @.target == '" + name + "')]",
                        hasSize(1)));

        as(delete("/api/v1/aggregations/" + id)).andExpect(status().isNoContent());
        as(get("/api/v1/aggregations/" + id)).andExpect(status().isNotFound());
        as(get("/api/v1/subsystems")).andExpect(jsonPath("$[?(@.nqn =~ /.*" + name + ".*/)]", hasSize(0)));
        as(get("/api/v1/volumes").param("q", name)).andExpect(jsonPath("$.totalItems").value(0));
        assertThat(filesInPool()).isEmpty();
    }

    @Test
    void a_failure_part_way_leaves_no_volume_file_or_subsystem_behind() throws Exception {
        String name = unique("half");
        // node2's subsystem NQN is taken already: node1's volumes, files and subsystem are made first, then this fails.
        int obstacle = JsonPath.read(body(json(post("/api/v1/subsystems"), "{\"nqn\":\""
                + AggregationService.NQN_PREFIX + name + ".node2\"}").andExpect(status().isCreated())), "$.id");

        json(post("/api/v1/aggregations"), s2d(name, 4))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString(name + ".node2 is already used")));

        as(get("/api/v1/aggregations").param("size", "500"))
                .andExpect(jsonPath("$.items[?(@.name == '" + name + "')]", hasSize(0)));
        as(get("/api/v1/volumes").param("q", name)).andExpect(jsonPath("$.totalItems").value(0));
        as(get("/api/v1/subsystems")).andExpect(jsonPath("$[?(@.nqn =~ /.*" + name + ".node1/)]", hasSize(0)));
        assertThat(filesInPool()).isEmpty();
        // The name is free again: the same layout, once the obstacle is gone, is created in full.
        as(delete("/api/v1/subsystems/" + obstacle)).andExpect(status().isNoContent());
        json(post("/api/v1/aggregations"), s2d(name, 4)).andExpect(status().isCreated());
        assertThat(filesInPool()).hasSize(8);
    }

    @Test
    void bad_input_names_the_field_and_a_taken_name_is_a_conflict() throws Exception {
        json(post("/api/v1/aggregations"), s2d(unique("nqn"), 4).replace(hostNqn(1), "not-an-nqn"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("members[0].hostNqn"));
        json(post("/api/v1/aggregations"), "{\"name\":\"x\",\"platform\":\"S2D\",\"members\":[]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("members"));
        json(post("/api/v1/aggregations"), s2d(unique("plat"), 4).replace("\"S2D\"", "\"HYPERV\""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("platform"));
        String name = unique("twice");
        json(post("/api/v1/aggregations"), s2d(name, 4)).andExpect(status().isCreated());
        json(post("/api/v1/aggregations"), s2d(name, 4))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value("An aggregation named '" + name + "' already exists."));
        as(get("/api/v1/aggregations/999999")).andExpect(status().isNotFound());
    }

    // ---- changing -----------------------------------------------------------------------------------------

    @Test
    void a_change_adds_drives_and_a_member_after_the_check_and_removes_a_member_with_everything_it_had() throws Exception {
        String name = unique("grow");
        int id = JsonPath.read(body(json(post("/api/v1/aggregations"), s2d(name, 4)).andExpect(status().isCreated())),
                "$.id");
        String three = members(List.of(1, 2, 3), 5, GIB);

        // A viewer may check a change but not make it; the check says each step and changes nothing.
        String viewer = new ApiTokens(mvc, users).userWithRole(Role.VIEWER);
        mvc.perform(post("/api/v1/aggregations/" + id + "/checks").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON).content(three))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.allowed").value(true))
                .andExpect(jsonPath("$.changes", hasSize(3)))
                .andExpect(jsonPath("$.changes[0]").value("Add 1 drive to node1: 1 x 1 GiB capacity."))
                .andExpect(jsonPath("$.changes[2]", containsString("Add member node3 with 5 drives (5 GiB) and its own "
                        + "subsystem, which admits " + hostNqn(3) + " only.")))
                .andExpect(jsonPath("$.connectedMembers", hasSize(0)))
                .andExpect(jsonPath("$.plan.rawBytes").value(15 * GIB));
        mvc.perform(patch("/api/v1/aggregations/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON).content(three))
                .andExpect(status().isForbidden());
        assertThat(filesInPool()).hasSize(8);

        String changed = body(json(patch("/api/v1/aggregations/" + id), three)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.members", hasSize(3)))
                .andExpect(jsonPath("$.members[0].drives", hasSize(5)))
                .andExpect(jsonPath("$.members[0].drives[4].nsid").value(5))
                .andExpect(jsonPath("$.members[2].name").value("node3"))
                .andExpect(jsonPath("$.members[2].subsystemNqn").value(AggregationService.NQN_PREFIX + name + ".node3"))
                .andExpect(jsonPath("$.plan.rawBytes").value(15 * GIB)));
        assertThat(filesInPool()).hasSize(15);
        for (int member = 0; member < 3; member++) {
            int subsystem = JsonPath.read(changed, "$.members[" + member + "].subsystemId");
            as(get("/api/v1/subsystems/" + subsystem))
                    .andExpect(jsonPath("$.allowedHosts", hasSize(1)))
                    .andExpect(jsonPath("$.allowedHosts[0].hostNqn").value(hostNqn(member + 1)))
                    .andExpect(jsonPath("$.namespaces", hasSize(5)))
                    .andExpect(jsonPath("$.listeners", hasSize(1)));
        }
        as(get("/api/v1/audit").param("size", "50"))
                .andExpect(jsonPath("$.entries[?(@.action == 'AGGREGATION_CHANGED' && @.target == '" + name + "')]",
                        hasSize(1)));

        // The same members again: nothing to do, nothing changes.
        json(post("/api/v1/aggregations/" + id + "/checks"), three).andExpect(jsonPath("$.changes", hasSize(0)));
        json(patch("/api/v1/aggregations/" + id), three).andExpect(status().isOk());
        assertThat(filesInPool()).hasSize(15);

        // node3 leaves (not connected, so no force is needed): its subsystem, volumes and files go.
        int node3Subsystem = JsonPath.read(changed, "$.members[2].subsystemId");
        json(patch("/api/v1/aggregations/" + id), members(List.of(1, 2), 5, GIB))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.members", hasSize(2)));
        as(get("/api/v1/subsystems/" + node3Subsystem)).andExpect(status().isNotFound());
        as(get("/api/v1/volumes").param("q", name + "-node3")).andExpect(jsonPath("$.totalItems").value(0));
        assertThat(filesInPool()).hasSize(10);
    }

    @Test
    void a_member_gets_another_host_nqn_and_only_that_one_is_admitted() throws Exception {
        String name = unique("nqn");
        String created = body(json(post("/api/v1/aggregations"), s2d(name, 4)).andExpect(status().isCreated()));
        int id = JsonPath.read(created, "$.id");
        int subsystem = JsonPath.read(created, "$.members[0].subsystemId");
        String reinstalled = members(List.of(1, 2), 4, GIB).replace(hostNqn(1), hostNqn(7));

        json(patch("/api/v1/aggregations/" + id), reinstalled)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.members[0].hostNqn").value(hostNqn(7)))
                .andExpect(jsonPath("$.members[0].subsystemId").value(subsystem));
        as(get("/api/v1/subsystems/" + subsystem))
                .andExpect(jsonPath("$.allowedHosts", hasSize(1)))
                .andExpect(jsonPath("$.allowedHosts[0].hostNqn").value(hostNqn(7)))
                .andExpect(jsonPath("$.namespaces", hasSize(4)));
        assertThat(filesInPool()).hasSize(8);
    }

    @Test
    void fewer_drives_and_a_layout_that_breaks_a_rule_are_refused_in_words_and_change_nothing()
            throws Exception {
        String name = unique("keep");
        String created = body(json(post("/api/v1/aggregations"), s2d(name, 4)).andExpect(status().isCreated()));
        int id = JsonPath.read(created, "$.id");

        json(patch("/api/v1/aggregations/" + id), members(List.of(1, 2), 3, GIB))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("members"))
                .andExpect(jsonPath("$.detail", containsString("node1 would keep 3 of its 4 capacity drives of 1 GiB: "
                        + "Windrose adds drives to a member but does not take them away")));
        // One server is not a Storage Spaces Direct cluster, and a new member must match the others.
        json(patch("/api/v1/aggregations/" + id), members(List.of(1), 4, GIB))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("Storage Spaces Direct needs 2 to 16 servers; this "
                        + "cluster has 1.")));
        json(patch("/api/v1/aggregations/" + id), members(List.of(1, 2), 4, GIB).replace("]}]}",
                "]},{\"name\":\"node3\",\"hostNqn\":\"" + hostNqn(3) + "\",\"drives\":[{\"count\":2,\"sizeBytes\":"
                        + GIB + ",\"poolId\":" + pool + "}]}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("node1 has 4 capacity drives and node3 has 2")));
        json(post("/api/v1/aggregations/" + id + "/checks"), members(List.of(1, 2), 3, GIB))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.allowed").value(false))
                .andExpect(jsonPath("$.findings[0].rule").value("change.remove-drives"))
                .andExpect(jsonPath("$.findings[0].severity").value("ERROR"));

        as(get("/api/v1/aggregations/" + id))
                .andExpect(jsonPath("$.members", hasSize(2)))
                .andExpect(jsonPath("$.members[0].drives", hasSize(4)))
                .andExpect(jsonPath("$.members[1].drives", hasSize(4)));
        assertThat(filesInPool()).hasSize(8);
        json(patch("/api/v1/aggregations/999999"), members(List.of(1, 2), 4, GIB)).andExpect(status().isNotFound());
        json(patch("/api/v1/aggregations/" + id), "{\"members\":[]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("members"));
    }

    @Test
    void drives_grow_in_place_with_their_namespaces_and_never_shrink() throws Exception {
        String name = unique("big");
        String created = body(json(post("/api/v1/aggregations"), s2d(name, 4)).andExpect(status().isCreated()));
        int id = JsonPath.read(created, "$.id");
        int node1Subsystem = JsonPath.read(created, "$.members[0].subsystemId");
        List<Integer> node1Volumes = JsonPath.read(created, "$.members[0].drives[*].volumeId");
        String bigger = members(List.of(1, 2), 5, 2 * GIB);

        json(post("/api/v1/aggregations/" + id + "/checks"), bigger)
                .andExpect(jsonPath("$.allowed").value(true))
                .andExpect(jsonPath("$.changes[0]").value("Grow 4 of node1's capacity drives from 1 GiB to 2 GiB (in "
                        + "place: connected hosts are told the new size)."))
                .andExpect(jsonPath("$.changes[1]").value("Add 1 drive to node1: 1 x 2 GiB capacity."))
                .andExpect(jsonPath("$.plan.rawBytes").value(20 * GIB));
        json(patch("/api/v1/aggregations/" + id), bigger)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.members[0].drives", hasSize(5)))
                .andExpect(jsonPath("$.members[0].drives[*].sizeBytes", org.hamcrest.Matchers.everyItem(
                        org.hamcrest.Matchers.is(2 * GIB))))
                .andExpect(jsonPath("$.members[0].drives[0].volumeId").value(node1Volumes.getFirst()));
        as(get("/api/v1/subsystems/" + node1Subsystem))
                .andExpect(jsonPath("$.namespaces", hasSize(5)))
                .andExpect(jsonPath("$.namespaces[*].sizeBytes", org.hamcrest.Matchers.everyItem(
                        org.hamcrest.Matchers.is(2 * GIB))));
        as(get("/api/v1/volumes/" + node1Volumes.getFirst())).andExpect(jsonPath("$.sizeBytes").value(2 * GIB));
        assertThat(filesInPool()).hasSize(10);
        for (Path file : filesInPool()) {
            assertThat(Files.size(file)).as(file.toString()).isEqualTo(2 * GIB);
        }

        json(patch("/api/v1/aggregations/" + id), members(List.of(1, 2), 5, GIB))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("node1's capacity drives are 2 GiB each: Windrose grows "
                        + "drives but never shrinks them")));
        as(get("/api/v1/volumes/" + node1Volumes.getFirst())).andExpect(jsonPath("$.sizeBytes").value(2 * GIB));
    }

    @Test
    void a_failure_part_way_through_a_change_rolls_back_the_drives_it_had_added() throws Exception {
        String name = unique("undo");
        String created = body(json(post("/api/v1/aggregations"), s2d(name, 4)).andExpect(status().isCreated()));
        int id = JsonPath.read(created, "$.id");
        int node1Subsystem = JsonPath.read(created, "$.members[0].subsystemId");
        // node3's subsystem NQN is taken: the change adds node1's and node2's fifth drives (volumes, files,
        // namespaces) first, then fails making node3.
        int obstacle = JsonPath.read(body(json(post("/api/v1/subsystems"), "{\"nqn\":\""
                + AggregationService.NQN_PREFIX + name + ".node3\"}").andExpect(status().isCreated())), "$.id");
        String three = members(List.of(1, 2, 3), 5, GIB);

        json(patch("/api/v1/aggregations/" + id), three)
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString(name + ".node3 is already used")));

        as(get("/api/v1/aggregations/" + id))
                .andExpect(jsonPath("$.members", hasSize(2)))
                .andExpect(jsonPath("$.members[0].drives", hasSize(4)))
                .andExpect(jsonPath("$.members[1].drives", hasSize(4)));
        as(get("/api/v1/subsystems/" + node1Subsystem)).andExpect(jsonPath("$.namespaces", hasSize(4)));
        as(get("/api/v1/volumes").param("q", name)).andExpect(jsonPath("$.totalItems").value(8));
        assertThat(filesInPool()).hasSize(8);

        // Once the obstacle is gone, the same change is made in full.
        as(delete("/api/v1/subsystems/" + obstacle)).andExpect(status().isNoContent());
        json(patch("/api/v1/aggregations/" + id), three).andExpect(status().isOk());
        assertThat(filesInPool()).hasSize(15);
    }

    @Test
    void a_member_removed_by_a_change_that_fails_later_keeps_its_subsystem_drives_and_files() throws Exception {
        String name = unique("keep3");
        String three = members(List.of(1, 2, 3), 4, GIB).replace("{\"members\":", "{\"name\":\"" + name
                + "\",\"platform\":\"S2D\",\"members\":");
        String created = body(json(post("/api/v1/aggregations"), three).andExpect(status().isCreated()));
        int id = JsonPath.read(created, "$.id");
        int node3Subsystem = JsonPath.read(created, "$.members[2].subsystemId");
        assertThat(filesInPool()).hasSize(12);
        // node4's subsystem NQN is taken: the change removes node3 first (subsystem, volumes, files once
        // committed), then fails making node4.
        int obstacle = JsonPath.read(body(json(post("/api/v1/subsystems"), "{\"nqn\":\""
                + AggregationService.NQN_PREFIX + name + ".node4\"}").andExpect(status().isCreated())), "$.id");

        json(patch("/api/v1/aggregations/" + id), members(List.of(1, 2, 4), 4, GIB))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString(name + ".node4 is already used")));

        as(get("/api/v1/aggregations/" + id))
                .andExpect(jsonPath("$.members[*].name", org.hamcrest.Matchers.contains("node1", "node2", "node3")))
                .andExpect(jsonPath("$.members[2].drives", hasSize(4)));
        as(get("/api/v1/subsystems/" + node3Subsystem))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.namespaces", hasSize(4)))
                .andExpect(jsonPath("$.allowedHosts[0].hostNqn").value(hostNqn(3)));
        as(get("/api/v1/volumes").param("q", name + "-node3")).andExpect(jsonPath("$.totalItems").value(4));
        assertThat(filesInPool()).hasSize(12);
        as(delete("/api/v1/subsystems/" + obstacle)).andExpect(status().isNoContent());
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** A change body: the given members (node1, node2, ...), each with {@code drives} capacity drives of {@code size}. */
    private String members(List<Integer> indexes, int drives, long size) {
        return indexes.stream().map(i -> """
                {"name":"node%d","hostNqn":"%s","drives":[{"count":%d,"sizeBytes":%d,"poolId":%d}]}"""
                .formatted(i, hostNqn(i), drives, size, pool))
                .collect(java.util.stream.Collectors.joining(",", "{\"members\":[", "]}"));
    }

    /** Two S2D members with {@code drives} 1 GiB capacity drives each, from this test's pool. */
    private String s2d(String name, int drives) {
        return """
                {"name":"%s","platform":"S2D","members":[
                  {"name":"node1","hostNqn":"%s","drives":[{"count":%d,"sizeBytes":%d,"poolId":%d}]},
                  {"name":"node2","hostNqn":"%s","drives":[{"count":%d,"sizeBytes":%d,"poolId":%d}]}]}
                """.formatted(name, hostNqn(1), drives, GIB, pool, hostNqn(2), drives, GIB, pool);
    }

    static String hostNqn(int member) {
        return "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-8000-" + String.format("%012d", member);
    }

    private List<Path> filesInPool() throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
        }
    }

    private ResultActions json(MockHttpServletRequestBuilder request, String body) throws Exception {
        return as(request.contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private ResultActions as(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }
}
