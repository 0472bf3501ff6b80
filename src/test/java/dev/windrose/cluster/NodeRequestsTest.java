package dev.windrose.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import dev.windrose.support.ClusterNodes;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Changes for another node (issue 15) in one JVM: the asking side (refused for an offline or asking node,
 * 202 with the request to follow while the node has not answered) and the carrying-out side (a request
 * addressed to this node, written as another node's console would, is carried out by this node's poll as
 * the person who asked, or refused with the reason, or expired). The full path between two JVMs is proved
 * by e2e/cluster/cluster-e2e.sh.
 */
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class NodeRequestsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;

    String admin;
    long other;
    long local;

    @BeforeEach
    void anotherNode() throws Exception {
        admin = new ApiTokens(mvc, users).admin();
        local = jdbc.queryForObject("SELECT host_id FROM cluster_member WHERE accepted_by = 'first node'", Long.class);
        other = ClusterNodes.register(jdbc, "other-" + System.nanoTime(), "MEMBER", Instant.now());
    }

    @AfterEach
    void forgetIt() {
        jdbc.update("DELETE FROM node_request WHERE from_host_id = ? OR host_id = ?", other, other);
        jdbc.update("DELETE FROM storage_pool WHERE name LIKE 'afar-%'");
        jdbc.update("DELETE FROM host WHERE id = ?", other);
    }

    @Test
    void a_pool_for_an_offline_node_is_refused_at_once_and_nothing_is_written() throws Exception {
        jdbc.update("UPDATE host SET last_heartbeat_at = ? WHERE id = ?", Timestamp.from(Instant.now().minusSeconds(3600)),
                other);
        as(admin, post("/api/v1/pools").contentType(MediaType.APPLICATION_JSON)
                .content(memoryPool("afar-offline", other)))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.detail", containsString("is offline")))
                .andExpect(jsonPath("$.detail", containsString("Nothing was changed")));
        assertThat(requestsFor(other)).isZero();
    }

    @Test
    void a_pool_for_a_node_that_only_asks_to_join_is_refused() throws Exception {
        jdbc.update("UPDATE cluster_member SET state = 'ASKING' WHERE host_id = ?", other);
        as(admin, post("/api/v1/pools").contentType(MediaType.APPLICATION_JSON)
                .content(memoryPool("afar-asking", other)))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.detail", containsString("not a member")));
        assertThat(requestsFor(other)).isZero();
    }

    @Test
    void a_node_that_does_not_answer_in_time_leaves_a_pending_request_to_follow() throws Exception {
        // Nothing runs "other" in this JVM: the console waits windrose.cluster.request-wait (10 s), then says 202.
        String location = as(admin, post("/api/v1/pools").contentType(MediaType.APPLICATION_JSON)
                .content(memoryPool("afar-later", other)))
                .andExpect(status().isAccepted())
                .andExpect(header().string(HttpHeaders.LOCATION, startsWith("/api/v1/cluster/requests/")))
                .andExpect(jsonPath("$.state").value("PENDING"))
                .andExpect(jsonPath("$.kind").value("pool.create"))
                .andExpect(jsonPath("$.actor").value(ApiTokens.ADMIN))
                .andReturn().getResponse().getHeader(HttpHeaders.LOCATION);
        as(admin, get(location)).andExpect(status().isOk()).andExpect(jsonPath("$.state").value("PENDING"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM storage_pool WHERE name = 'afar-later'", Integer.class))
                .isZero();
    }

    @Test
    void this_node_carries_out_a_request_addressed_to_it_as_the_person_who_asked() throws Exception {
        long id = requestForThisNode("pool.create", "{\"name\":\"afar-made\",\"type\":\"MEMORY\","
                + "\"capacityBytes\":16777216}", Instant.now().plusSeconds(120));
        Map<String, Object> done = awaitFinished(id);
        assertThat(done.get("state")).isEqualTo("DONE");
        assertThat((String) done.get("result")).contains("\"name\":\"afar-made\"");
        assertThat(jdbc.queryForObject("SELECT host_id FROM storage_pool WHERE name = 'afar-made'", Long.class))
                .isEqualTo(local);
        assertThat(jdbc.queryForObject("SELECT actor FROM audit_entry WHERE action = 'POOL_CREATED' AND target = "
                + "'afar-made'", String.class)).startsWith("alice via other-");
        as(admin, get("/api/v1/cluster/requests/" + id))
                .andExpect(jsonPath("$.state").value("DONE"))
                .andExpect(jsonPath("$.nodeName").isString());
    }

    @Test
    void a_request_this_node_refuses_is_failed_with_the_reason_and_changes_nothing() throws Exception {
        long id = requestForThisNode("pool.create", "{\"name\":\"afar-tiny\",\"type\":\"MEMORY\","
                + "\"capacityBytes\":1024}", Instant.now().plusSeconds(120));
        Map<String, Object> failed = awaitFinished(id);
        assertThat(failed.get("state")).isEqualTo("FAILED");
        assertThat(failed.get("error_status")).isEqualTo(400);
        assertThat(failed.get("error_field")).isEqualTo("capacityBytes");
        assertThat((String) failed.get("error_detail")).contains("at least 16 MiB");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM storage_pool WHERE name = 'afar-tiny'", Integer.class))
                .isZero();
    }

    @Test
    void a_request_found_after_its_time_is_not_carried_out() throws Exception {
        long id = requestForThisNode("pool.create", "{\"name\":\"afar-late\",\"type\":\"MEMORY\","
                + "\"capacityBytes\":16777216}", Instant.now().minusSeconds(1));
        assertThat(awaitFinished(id).get("state")).isEqualTo("EXPIRED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM storage_pool WHERE name = 'afar-late'", Integer.class))
                .isZero();
    }

    private long requestForThisNode(String kind, String body, Instant expiresAt) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO node_request (host_id, kind, body, actor, actor_role, from_host_id, state, created_at, "
                + "expires_at) VALUES (?, ?, ?, 'alice', 'OPERATOR', ?, 'PENDING', ?, ?)", local, kind, body, other, now,
                Timestamp.from(expiresAt));
        jdbc.update("UPDATE cluster_signal SET generation = generation + 1 WHERE host_id = ?", local);
        return jdbc.queryForObject("SELECT MAX(id) FROM node_request WHERE host_id = ?", Long.class, local);
    }

    /** The node's poll (windrose.cluster.signal-poll, 1 s) picks the request up; 15 s bounds a loaded machine. */
    private Map<String, Object> awaitFinished(long id) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(15));
        Map<String, Object> row = Map.of();
        while (Instant.now().isBefore(until)) {
            row = jdbc.queryForMap("SELECT * FROM node_request WHERE id = ?", id);
            if (!"PENDING".equals(row.get("state"))) {
                return lowerCaseKeys(row);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("request " + id + " still pending after 15 s: " + row);
    }

    private static Map<String, Object> lowerCaseKeys(Map<String, Object> row) {
        Map<String, Object> lower = new java.util.HashMap<>();
        row.forEach((key, value) -> lower.put(key.toLowerCase(java.util.Locale.ROOT), value));
        return lower;
    }

    private int requestsFor(long host) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM node_request WHERE host_id = ?", Integer.class, host);
    }

    private static String memoryPool(String name, long host) {
        return "{\"name\":\"" + name + "\",\"type\":\"MEMORY\",\"capacityBytes\":16777216,\"hostId\":" + host + "}";
    }

    private ResultActions as(String token, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }
}
