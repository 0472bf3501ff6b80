package dev.windrose.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.support.ClusterNodes;
import java.time.Instant;
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
 * The cluster's nodes through the REST API on the single-node default (H2): the node founded its
 * cluster; a node that asks to join (written into the database as another node's start would) is
 * listed, accepted, renamed and removed by an administrator, and only by one.
 */
// The fabric REST tests' context: a context of its own would install another security-context strategy
// (Vaadin sets it JVM-wide) under the cached contexts that later test classes reuse.
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ClusterApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;

    String admin;
    long asking;

    @BeforeEach
    void aNodeAsksToJoin() throws Exception {
        admin = new ApiTokens(mvc, users).admin();
        asking = registerAskingNode("asking-" + System.nanoTime(), Instant.now());
    }

    @AfterEach
    void forgetTheOtherNode() {
        jdbc.update("DELETE FROM host WHERE id = ?", asking);
    }

    @Test
    void the_first_node_of_a_database_founds_the_cluster_and_a_later_one_asks_to_join() throws Exception {
        as(admin, get("/api/v1/cluster/nodes"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].membership").value("MEMBER"))
                .andExpect(jsonPath("$[0].local").value(true))
                .andExpect(jsonPath("$[0].acceptedBy").value("first node"))
                .andExpect(jsonPath("$[?(@.id == " + asking + ")].membership").value("ASKING"));
    }

    @Test
    void an_administrator_accepts_a_node_that_asks_and_the_audit_log_says_who() throws Exception {
        as(admin, post("/api/v1/cluster/nodes/" + asking + "/accept"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.membership").value("MEMBER"))
                .andExpect(jsonPath("$.acceptedBy").value(ApiTokens.ADMIN));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_entry WHERE action = 'NODE_ACCEPTED'",
                Integer.class)).isPositive();
    }

    @Test
    void viewers_and_operators_see_the_nodes_but_cannot_accept_or_remove_them() throws Exception {
        ApiTokens tokens = new ApiTokens(mvc, users);
        for (Role role : new Role[] {Role.VIEWER, Role.OPERATOR}) {
            String token = tokens.userWithRole(role);
            as(token, get("/api/v1/cluster/nodes")).andExpect(status().isOk());
            as(token, post("/api/v1/cluster/nodes/" + asking + "/accept")).andExpect(status().isForbidden());
            as(token, delete("/api/v1/cluster/nodes/" + asking)).andExpect(status().isForbidden());
            as(token, post("/api/v1/cluster/join-tokens").contentType(MediaType.APPLICATION_JSON)
                    .content("{\"validHours\":1}")).andExpect(status().isForbidden());
        }
    }

    @Test
    void a_renamed_node_keeps_the_name_and_a_name_with_control_characters_is_refused() throws Exception {
        as(admin, patch("/api/v1/cluster/nodes/" + asking).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"rack 2, shelf 3\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("rack 2, shelf 3"));
        as(admin, patch("/api/v1/cluster/nodes/" + asking).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"evil\\u001b[31m\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("control characters")));
        assertThat(jdbc.queryForObject("SELECT named_by_admin FROM host WHERE id = ?", Boolean.class, asking)).isTrue();
    }

    @Test
    void the_node_serving_the_console_cannot_be_removed_and_an_online_member_must_be_stopped_first()
            throws Exception {
        long local = jdbc.queryForObject("SELECT host_id FROM cluster_member WHERE accepted_by = 'first node'",
                Long.class);
        as(admin, delete("/api/v1/cluster/nodes/" + local))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("the node serving this console")));
        as(admin, post("/api/v1/cluster/nodes/" + asking + "/accept")).andExpect(status().isOk());
        as(admin, delete("/api/v1/cluster/nodes/" + asking))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("is online. Stop Windrose on it first")));
    }

    @Test
    void a_stopped_node_that_holds_a_pool_is_refused_with_the_pool_named_and_removed_once_it_holds_nothing()
            throws Exception {
        long stopped = registerAskingNode("stopped-" + System.nanoTime(), Instant.now().minusSeconds(3600));
        try {
            jdbc.update("INSERT INTO storage_pool (host_id, name, pool_type, capacity_bytes, overcommit_percent, label_uuid, "
                    + "created_at)"
                    + " VALUES (?, 'far-pool', 'MEMORY', 1048576, 100, '00000000-0000-4000-8000-000000000001', "
                    + "CURRENT_TIMESTAMP)", stopped);
            as(admin, delete("/api/v1/cluster/nodes/" + stopped))
                    .andExpect(status().isConflict())
                    .andExpect(jsonPath("$.detail", containsString("still has pool far-pool")));
            jdbc.update("DELETE FROM storage_pool WHERE host_id = ?", stopped);
            as(admin, delete("/api/v1/cluster/nodes/" + stopped)).andExpect(status().isNoContent());
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM host WHERE id = ?", Integer.class, stopped)).isZero();
        } finally {
            jdbc.update("DELETE FROM storage_pool WHERE host_id = ?", stopped);
            jdbc.update("DELETE FROM host WHERE id = ?", stopped);
        }
    }

    @Test
    void a_join_token_is_shown_once_with_the_command_that_uses_it_quoted() throws Exception {
        as(admin, post("/api/v1/cluster/join-tokens").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"validHours\":2}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.secret", startsWith("wrjoin_")))
                .andExpect(jsonPath("$.command", containsString("WINDROSE_CLUSTER_JOIN_TOKEN=wrjoin_")))
                .andExpect(jsonPath("$.command", containsString("SPRING_PROFILES_ACTIVE=postgres")));
        as(admin, post("/api/v1/cluster/join-tokens").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"validHours\":0}"))
                .andExpect(status().isBadRequest());
        as(admin, get("/api/v1/cluster/join-command"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.clustered").value(false));
    }

    private long registerAskingNode(String machineId, Instant heartbeat) {
        return ClusterNodes.register(jdbc, machineId, "ASKING", heartbeat);
    }

    private ResultActions as(String token, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }
}
