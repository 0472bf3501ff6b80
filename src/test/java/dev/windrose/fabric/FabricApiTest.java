package dev.windrose.fabric;

import static dev.windrose.support.TestValues.body;
import static dev.windrose.support.TestValues.freePort;
import static dev.windrose.support.TestValues.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.fabric.internal.FabricReconciliation;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.support.Leftovers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Subsystems through the REST API, applied by the reconciler to the context's real embedded target:
 * a listener really accepts TCP connections, conflicts are 409 problem details, and a restarted target
 * serves the same subsystems again.
 */
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class FabricApiTest {

    static final long MIB = 1024 * 1024;
    static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c-0b0a-0908-0706-050403020100";

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    EmbeddedTarget embeddedTarget;
    @Autowired
    FabricReconciliation reconciliation;
    @Autowired
    ApplicationContext context;

    String token;
    /** Where the test's directory pools live; JUnit removes it once the test's pools are deleted. */
    @TempDir
    Path directory;
    Leftovers leftovers;

    @BeforeEach
    void signIn() throws Exception {
        leftovers = Leftovers.now(context);
        token = new ApiTokens(mvc, users).admin();
    }

    /** The context is shared: what the test made (subsystems, volumes, pools, lab disks) goes with it. */
    @AfterEach
    void deleteWhatTheTestMade() {
        leftovers.remove();
    }

    @Test
    void a_subsystem_with_a_namespace_a_listener_and_a_host_is_applied_and_listens() throws Exception {
        String nqn = uniqueNqn();
        int port = freePort();
        long volumeId = directoryVolume();

        int id = JsonPath.read(body(json(post("/api/v1/subsystems"), "{\"nqn\":\"" + nqn + "\",\"model\":\"Lab box\"}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.nqn").value(nqn))
                .andExpect(jsonPath("$.model").value("Lab box"))
                .andExpect(jsonPath("$.serial").value(org.hamcrest.Matchers.matchesPattern("[0-9A-F]{20}")))
                .andExpect(jsonPath("$.allowAnyHost").value(false))
                .andExpect(jsonPath("$.state").value("APPLIED"))), "$.id");
        String subsystem = "/api/v1/subsystems/" + id;

        json(post(subsystem + "/namespaces"), "{\"volumeId\":" + volumeId + "}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.namespaces[0].nsid").value(1))
                .andExpect(jsonPath("$.namespaces[0].backingKind").value("FILE"))
                .andExpect(jsonPath("$.namespaces[0].nguid").value(org.hamcrest.Matchers.matchesPattern("[0-9a-f]{32}")))
                .andExpect(jsonPath("$.namespaces[0].state").value("APPLIED"));
        json(post(subsystem + "/listeners"), "{\"address\":\"127.0.0.1\",\"port\":" + port + "}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.listeners[0].transport").value("tcp"))
                .andExpect(jsonPath("$.listeners[0].addressFamily").value("IPV4"))
                .andExpect(jsonPath("$.listeners[0].state").value("APPLIED"));
        json(post(subsystem + "/hosts"), "{\"hostNqn\":\"" + HOST_NQN + "\"}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.allowedHosts[0].hostNqn").value(HOST_NQN))
                .andExpect(jsonPath("$.allowedHosts[0].state").value("APPLIED"));

        assertThat(accepts(port)).as("the dataplane listens on the subsystem's port").isTrue();
        as(get(subsystem + "/connect-commands").param("hostNqn", HOST_NQN)).andExpect(status().isOk())
                .andExpect(jsonPath("$.linuxConnect")
                        .value("nvme connect -t tcp -a 127.0.0.1 -s " + port + " -n " + nqn + " -q " + HOST_NQN))
                .andExpect(jsonPath("$.linuxDiscover").value(containsString(" -q " + HOST_NQN)))
                .andExpect(jsonPath("$.esxiConnect").value(containsString("-i 127.0.0.1 -p " + port + " -s " + nqn)));
        as(get(subsystem + "/connect-commands")).andExpect(status().isOk())
                .andExpect(jsonPath("$.linuxConnect").value(containsString(" -q \"$(cat /etc/nvme/hostnqn)\"")));
        as(get(subsystem + "/connect-commands").param("hostNqn", "not-an-nqn")).andExpect(status().isBadRequest());
        as(get("/api/v1/volumes/" + volumeId)).andExpect(jsonPath("$.attachedSubsystem").value(nqn));
        as(get(subsystem + "/connections")).andExpect(status().isOk()).andExpect(jsonPath("$", hasSize(0)));
        as(get("/api/v1/audit?size=500"))
                .andExpect(jsonPath("$.entries[?(@.action == 'SUBSYSTEM_CREATED' && @.target == '" + nqn + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'NAMESPACE_ADDED' && @.target == '" + nqn + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'LISTENER_ADDED' && @.target == '" + nqn + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'HOST_ALLOWED' && @.target == '" + nqn + "')]").exists());

        as(delete(subsystem)).andExpect(status().isNoContent());
        assertThat(accepts(port)).as("deleting the subsystem closes its listener").isFalse();
        as(get("/api/v1/volumes/" + volumeId)).andExpect(jsonPath("$.attachedSubsystem").doesNotExist());
        as(delete("/api/v1/volumes/" + volumeId)).andExpect(status().isNoContent());
    }

    @Test
    void conflicts_are_409_problem_details_that_say_what_is_taken() throws Exception {
        String nqn = uniqueNqn();
        int port = freePort();
        long volumeId = directoryVolume();
        long otherVolume = directoryVolume();
        int id = createSubsystem(nqn);
        String subsystem = "/api/v1/subsystems/" + id;
        json(post(subsystem + "/namespaces"), "{\"volumeId\":" + volumeId + ",\"nsid\":5}").andExpect(status().isCreated());
        json(post(subsystem + "/listeners"), "{\"address\":\"127.0.0.1\",\"port\":" + port + "}").andExpect(status().isCreated());
        json(post(subsystem + "/hosts"), "{\"hostNqn\":\"" + HOST_NQN + "\"}").andExpect(status().isCreated());

        json(post("/api/v1/subsystems"), "{\"nqn\":\"" + nqn + "\"}").andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value("The NQN " + nqn + " is already used by another subsystem."));
        json(post(subsystem + "/namespaces"), "{\"volumeId\":" + otherVolume + ",\"nsid\":5}").andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("NSID 5 is already used")));
        int other = createSubsystem(uniqueNqn());
        json(post("/api/v1/subsystems/" + other + "/namespaces"), "{\"volumeId\":" + volumeId + "}")
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("is already attached to subsystem " + nqn)));
        json(post(subsystem + "/listeners"), "{\"address\":\"127.0.0.1\",\"port\":" + port + "}").andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("already listens on 127.0.0.1:" + port)));
        json(post(subsystem + "/hosts"), "{\"hostNqn\":\"" + HOST_NQN + "\"}").andExpect(status().isConflict());
        // Another subsystem may share this target's port; a port another program holds is refused.
        json(post("/api/v1/subsystems/" + other + "/listeners"), "{\"address\":\"127.0.0.1\",\"port\":" + port + "}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.listeners[0].state").value("APPLIED"));
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            json(post(subsystem + "/listeners"), "{\"address\":\"127.0.0.1\",\"port\":" + taken.getLocalPort() + "}")
                    .andExpect(status().isConflict())
                    .andExpect(jsonPath("$.detail", containsString("is in use by another program")));
        }

        as(delete(subsystem)).andExpect(status().isNoContent());
        as(delete("/api/v1/subsystems/" + other)).andExpect(status().isNoContent());
    }

    @Test
    void invalid_input_is_a_400_naming_the_field() throws Exception {
        json(post("/api/v1/subsystems"), "{\"nqn\":\"iqn.2026-01.dev.windrose:x\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("nqn"));
        json(post("/api/v1/subsystems"), "{\"nqn\":\"" + uniqueNqn() + "\",\"serial\":\"" + "9".repeat(21) + "\"}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("serial"));
        int id = createSubsystem(uniqueNqn());
        String subsystem = "/api/v1/subsystems/" + id;
        json(post(subsystem + "/listeners"), "{\"address\":\"storage.example\",\"port\":4420}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("address"));
        json(post(subsystem + "/listeners"), "{\"transport\":\"rdma\",\"address\":\"127.0.0.1\",\"port\":4420}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("transport"));
        json(post(subsystem + "/namespaces"), "{\"volumeId\":987654321}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("volumeId"));
        json(post(subsystem + "/namespaces"), "{\"volumeId\":" + directoryVolume() + ",\"nsid\":1025}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("nsid"));
        json(post(subsystem + "/hosts"), "{\"hostNqn\":\"host-1\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("hostNqn"));
        as(get("/api/v1/subsystems/987654321")).andExpect(status().isNotFound());
    }

    @Test
    void initiators_are_named_once_and_listed_by_name() throws Exception {
        String nqn = "nqn.2014-08.org.nvmexpress:uuid:" + UUID.randomUUID();
        String name = unique("esx");
        int id = JsonPath.read(body(json(post("/api/v1/initiators"), "{\"hostNqn\":\"" + nqn + "\",\"name\":\"" + name + "\"}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.name").value(name))), "$.id");

        as(get("/api/v1/initiators")).andExpect(jsonPath("$[?(@.hostNqn == '" + nqn + "')].name").value(name));
        json(post("/api/v1/initiators"), "{\"hostNqn\":\"" + nqn + "\",\"name\":\"again\"}").andExpect(status().isConflict());
        json(post("/api/v1/initiators"), "{\"hostNqn\":\"host-1\",\"name\":\"x\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("hostNqn"));
        as(delete("/api/v1/initiators/" + id)).andExpect(status().isNoContent());
        as(get("/api/v1/audit?size=500"))
                .andExpect(jsonPath("$.entries[?(@.action == 'INITIATOR_ADDED' && @.target == '" + nqn + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'INITIATOR_REMOVED' && @.target == '" + nqn + "')]").exists());
    }

    @Test
    void viewers_look_and_cannot_change() throws Exception {
        int id = createSubsystem(uniqueNqn());
        String viewer = new ApiTokens(mvc, users).userWithRole(Role.VIEWER);

        mvc.perform(get("/api/v1/subsystems/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer))
                .andExpect(status().isOk());
        mvc.perform(patch("/api/v1/subsystems/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"allowAnyHost\":true}"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/subsystems").header(HttpHeaders.AUTHORIZATION, "Bearer " + viewer)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"nqn\":\"" + uniqueNqn() + "\"}"))
                .andExpect(status().isForbidden());
    }

    @Test
    void a_restarted_target_serves_the_same_subsystems_after_reconciliation() throws Exception {
        int port = freePort();
        int id = createSubsystem(uniqueNqn());
        json(post("/api/v1/subsystems/" + id + "/listeners"), "{\"address\":\"127.0.0.1\",\"port\":" + port + "}")
                .andExpect(jsonPath("$.listeners[0].state").value("APPLIED"));

        embeddedTarget.stop();
        try {
            assertThat(accepts(port)).isFalse();
            reconciliation.reconcile();
            as(get("/api/v1/subsystems/" + id)).andExpect(jsonPath("$.state").value("PENDING"))
                    .andExpect(jsonPath("$.lastError", containsString("target is not running")));
        } finally {
            embeddedTarget.start();
        }
        reconciliation.reconcile();

        assertThat(accepts(port)).isTrue();
        as(get("/api/v1/subsystems/" + id)).andExpect(jsonPath("$.state").value("APPLIED"))
                .andExpect(jsonPath("$.listeners[0].state").value("APPLIED"));
        as(delete("/api/v1/subsystems/" + id)).andExpect(status().isNoContent());
    }

    @Test
    void a_namespace_removed_behind_the_consoles_back_is_drift_repaired_and_shown() throws Exception {
        String nqn = uniqueNqn();
        int id = createSubsystem(nqn);
        String subsystem = "/api/v1/subsystems/" + id;
        json(post(subsystem + "/namespaces"), "{\"volumeId\":" + directoryVolume() + "}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.lastDrift").doesNotExist());

        embeddedTarget.target().orElseThrow().removeNamespace(nqn, 1);
        reconciliation.reconcile();

        as(get(subsystem)).andExpect(jsonPath("$.namespaces[0].state").value("APPLIED"))
                .andExpect(jsonPath("$.lastDrift", containsString("namespace 1 was missing (added again)")))
                .andExpect(jsonPath("$.driftAt").exists());
        assertThat(embeddedTarget.target().orElseThrow().stats().namespaces())
                .anyMatch(ns -> ns.subsystemNqn().equals(nqn) && ns.nsid() == 1);
        as(delete(subsystem)).andExpect(status().isNoContent());
    }

    @Test
    void a_disk_pool_volume_is_served_from_its_extent_and_a_split_one_is_refused_in_words() throws Exception {
        int disk = JsonPath.read(body(json(post("/api/v1/disks"), "{\"name\":\"" + unique("lab") + "\",\"sizeBytes\":"
                + 64 * MIB + "}").andExpect(status().isCreated())), "$.id");
        int pool = JsonPath.read(body(json(post("/api/v1/pools"), "{\"name\":\"" + unique("disks") + "\",\"type\":\"DISK\","
                + "\"diskIds\":[" + disk + "]}").andExpect(status().isCreated())), "$.id");
        long first = diskVolume(pool, 16);
        long second = diskVolume(pool, 16);
        int id = createSubsystem(uniqueNqn());
        String subsystem = "/api/v1/subsystems/" + id;

        json(post(subsystem + "/namespaces"), "{\"volumeId\":" + second + "}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.namespaces[0].backingKind").value("EXTENT"))
                .andExpect(jsonPath("$.namespaces[0].sizeBytes").value(16 * MIB))
                .andExpect(jsonPath("$.namespaces[0].state").value("APPLIED"));

        // Freeing the first volume leaves a 16 MiB gap before the second: 40 MiB only fit in two pieces.
        as(delete("/api/v1/volumes/" + first)).andExpect(status().isNoContent());
        long split = diskVolume(pool, 40);
        as(get("/api/v1/volumes/" + split)).andExpect(jsonPath("$.extents", hasSize(2)));
        json(post(subsystem + "/namespaces"), "{\"volumeId\":" + split + "}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("split over 2 extents")))
                .andExpect(jsonPath("$.errors[0].field").value("volumeId"));

        as(delete(subsystem)).andExpect(status().isNoContent());
        as(delete("/api/v1/volumes/" + split)).andExpect(status().isNoContent());
        as(delete("/api/v1/volumes/" + second)).andExpect(status().isNoContent());
    }

    private long diskVolume(int pool, long mib) throws Exception {
        return ((Number) JsonPath.read(body(json(post("/api/v1/volumes"), "{\"name\":\"" + unique("vol") + "\",\"poolId\":"
                + pool + ",\"sizeBytes\":" + mib * MIB + "}").andExpect(status().isCreated())), "$.id")).longValue();
    }

    private int createSubsystem(String nqn) throws Exception {
        return JsonPath.read(body(json(post("/api/v1/subsystems"), "{\"nqn\":\"" + nqn + "\"}")
                .andExpect(status().isCreated())), "$.id");
    }

    private long directoryVolume() throws Exception {
        Path dir = Files.createDirectories(directory.resolve(unique("files")));
        int pool = JsonPath.read(body(json(post("/api/v1/pools"), "{\"name\":\"" + unique("files") + "\",\"type\":\"DIRECTORY\","
                + "\"directory\":\"" + dir + "\"}").andExpect(status().isCreated())), "$.id");
        int volume = JsonPath.read(body(json(post("/api/v1/volumes"), "{\"name\":\"" + unique("vol") + "\",\"poolId\":" + pool
                + ",\"sizeBytes\":" + 8 * MIB + "}").andExpect(status().isCreated())), "$.id");
        return volume;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private ResultActions json(MockHttpServletRequestBuilder request, String body) throws Exception {
        return as(request.contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private ResultActions as(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }

    private static String uniqueNqn() {
        return "nqn.2026-01.dev.windrose.test:" + UUID.randomUUID();
    }
}
