package dev.windrose.fabric;

import static dev.windrose.support.TestValues.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import dev.windrose.support.Leftovers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * DH-HMAC-CHAP secrets and policy through the REST API (issue 17), applied by the reconciler to the context's
 * real embedded target (an APPLIED host means the dataplane took its secrets): generated secrets are answered
 * once, never again and never stored in clear; a rotation keeps the old one for its grace period.
 */
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class DhchapApiTest {

    static final String HOST_NQN = "nqn.2014-08.org.nvmexpress:uuid:" + UUID.randomUUID();
    static final String PASTED = "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:";

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DhchapService dhchap;

    String token;
    Leftovers leftovers;

    @BeforeEach
    void signIn() throws Exception {
        leftovers = Leftovers.now(context);
        token = new ApiTokens(mvc, users).admin();
    }

    @AfterEach
    void deleteWhatTheTestMade() {
        leftovers.remove();
    }

    @Test
    void a_generated_secret_is_answered_once_rotated_with_a_grace_period_and_cleared() throws Exception {
        String nqn = "nqn.2026-01.dev.windrose.test:" + UUID.randomUUID();
        String subsystem = "/api/v1/subsystems/" + JsonPath.read(body(json(post("/api/v1/subsystems"),
                "{\"nqn\":\"" + nqn + "\"}").andExpect(status().isCreated())), "$.id");
        int hostId = JsonPath.read(body(json(post(subsystem + "/hosts"), "{\"hostNqn\":\"" + HOST_NQN + "\"}")
                .andExpect(status().isCreated())), "$.allowedHosts[0].id");
        String secrets = subsystem + "/hosts/" + hostId + "/dhchap";

        String first = body(json(put(secrets), "{\"keyLength\":48}").andExpect(status().isOk())
                .andExpect(jsonPath("$.hostSecret").value(startsWith("DHHC-1:00:")))
                .andExpect(jsonPath("$.controllerSecret").doesNotExist())
                .andExpect(jsonPath("$.previousAcceptedUntil").doesNotExist())
                .andExpect(jsonPath("$.subsystem.allowedHosts[0].state").value("APPLIED"))
                .andExpect(jsonPath("$.subsystem.allowedHosts[0].dhchap.hostSecretSetAt").exists()));
        String hostSecret = JsonPath.read(first, "$.hostSecret");
        assertThat(DhchapSecret.check("hostSecret", hostSecret)).hasSize(10 + 72 + 1);
        assertThat((String) JsonPath.read(first, "$.linuxConnect")).endsWith(" -q " + HOST_NQN + " --dhchap-secret " + hostSecret);

        // Afterwards: when, never what, in the API and in the Connect panel's commands; sealed in the database.
        as(get(subsystem)).andExpect(status().isOk()).andExpect(content().string(not(containsString("DHHC-1"))))
                .andExpect(jsonPath("$.allowedHosts[0].dhchap.hostSecretSetAt").exists())
                .andExpect(jsonPath("$.allowedHosts[0].dhchap.controllerSecretSetAt").doesNotExist());
        as(get(subsystem + "/connect-commands").param("hostNqn", HOST_NQN)).andExpect(status().isOk())
                .andExpect(jsonPath("$.linuxConnect").value(containsString(
                        " --dhchap-secret '<paste the host secret DHHC-1:...>'")))
                .andExpect(content().string(not(containsString(hostSecret))));
        assertThat(storedSecrets(hostId)).allSatisfy(value -> assertThat(value).doesNotContain("DHHC").startsWith("sb1:"));

        // Rotation: a pasted host secret, a generated controller secret; the old one stays accepted 10 minutes.
        Instant before = Instant.now();
        String rotated = body(json(put(secrets), "{\"hostSecret\":\" " + PASTED + "\\n\",\"gracePeriodMinutes\":10,"
                + "\"controller\":\"GENERATE\"}").andExpect(status().isOk())
                .andExpect(jsonPath("$.hostSecret").doesNotExist())
                .andExpect(jsonPath("$.controllerSecret").value(startsWith("DHHC-1:00:")))
                .andExpect(jsonPath("$.subsystem.allowedHosts[0].state").value("APPLIED"))
                .andExpect(jsonPath("$.subsystem.allowedHosts[0].dhchap.controllerSecretSetAt").exists()));
        String ctrlSecret = JsonPath.read(rotated, "$.controllerSecret");
        Instant until = Instant.parse(JsonPath.read(rotated, "$.previousAcceptedUntil"));
        assertThat(until).isBetween(before.plus(Duration.ofMinutes(10)), Instant.now().plus(Duration.ofMinutes(10)));
        assertThat((String) JsonPath.read(rotated, "$.linuxConnect"))
                .endsWith(" --dhchap-secret " + PASTED + " --dhchap-ctrl-secret " + ctrlSecret);
        as(get(subsystem)).andExpect(content().string(not(containsString("DHHC-1"))))
                .andExpect(jsonPath("$.allowedHosts[0].dhchap.previousAcceptedUntil").exists());
        as(get(subsystem + "/connect-commands").param("hostNqn", HOST_NQN))
                .andExpect(jsonPath("$.linuxConnect").value(containsString(
                        " --dhchap-ctrl-secret '<paste the controller secret DHHC-1:...>'")));
        assertThat(storedSecrets(hostId)).hasSize(3).allSatisfy(value -> assertThat(value).startsWith("sb1:"));

        // The grace period ends (moved into the past here): the scheduler drops the old secret, durably.
        jdbc.sql("UPDATE nvmf_allowed_host SET dhchap_previous_until = ? WHERE id = ?")
                .params(java.sql.Timestamp.from(Instant.now().minusSeconds(1)), hostId).update();
        dhchap.endGracePeriods();
        as(get(subsystem)).andExpect(jsonPath("$.allowedHosts[0].dhchap.previousAcceptedUntil").doesNotExist())
                .andExpect(jsonPath("$.allowedHosts[0].dhchap.hostSecretSetAt").exists())
                .andExpect(jsonPath("$.allowedHosts[0].state").value("APPLIED"));
        assertThat(storedSecrets(hostId)).hasSize(2);

        as(delete(secrets)).andExpect(status().isOk()).andExpect(jsonPath("$.allowedHosts[0].dhchap").doesNotExist())
                .andExpect(jsonPath("$.allowedHosts[0].state").value("APPLIED"));
        assertThat(storedSecrets(hostId)).isEmpty();
        as(get(subsystem + "/connect-commands").param("hostNqn", HOST_NQN))
                .andExpect(jsonPath("$.linuxConnect").value(not(containsString("dhchap"))));

        String audit = body(as(get("/api/v1/audit?size=500")).andExpect(status().isOk())
                .andExpect(jsonPath("$.entries[?(@.action == 'DHCHAP_SECRET_SET' && @.target == '" + nqn + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'DHCHAP_SECRET_ROTATED' && @.target == '" + nqn + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'DHCHAP_SECRET_CLEARED' && @.target == '" + nqn + "')]").exists()));
        assertThat(audit).doesNotContain(hostSecret).doesNotContain(PASTED).doesNotContain(ctrlSecret);
    }

    @Test
    void a_wrong_secret_is_refused_with_what_is_wrong_and_nothing_is_stored() throws Exception {
        String subsystem = "/api/v1/subsystems/" + JsonPath.read(body(json(post("/api/v1/subsystems"),
                "{\"nqn\":\"nqn.2026-01.dev.windrose.test:" + UUID.randomUUID() + "\"}").andExpect(status().isCreated())), "$.id");
        int hostId = JsonPath.read(body(json(post(subsystem + "/hosts"), "{\"hostNqn\":\"" + HOST_NQN + "\"}")
                .andExpect(status().isCreated())), "$.allowedHosts[0].id");
        String secrets = subsystem + "/hosts/" + hostId + "/dhchap";
        String mistyped = PASTED.replace("AAEC", "AAED");

        String refused = body(json(put(secrets), "{\"hostSecret\":\"" + mistyped + "\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("hostSecret"))
                .andExpect(jsonPath("$.detail").value(containsString("checksum does not match"))));
        assertThat(refused).doesNotContain(mistyped);
        json(put(secrets), "{\"hostSecret\":\"DHHC-1:05:abcd:\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("hash field")));
        json(put(secrets), "{\"keyLength\":16}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("32, 48 or 64")));
        json(put(secrets), "{\"gracePeriodMinutes\":1441}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("gracePeriodMinutes"));
        json(put(secrets), "{\"hostSecret\":\"" + PASTED + "\",\"controllerSecret\":\"" + PASTED + "\"}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value(containsString("must differ")));
        as(get(subsystem)).andExpect(jsonPath("$.allowedHosts[0].dhchap").doesNotExist());
        assertThat(storedSecrets(hostId)).isEmpty();
        json(put(subsystem + "/hosts/999999999/dhchap"), "{}").andExpect(status().isNotFound());
    }

    @Test
    void the_policy_narrows_hashes_and_groups_and_refuses_an_empty_list() throws Exception {
        String nqn = "nqn.2026-01.dev.windrose.test:" + UUID.randomUUID();
        String subsystem = "/api/v1/subsystems/" + JsonPath.read(body(json(post("/api/v1/subsystems"),
                "{\"nqn\":\"" + nqn + "\"}").andExpect(status().isCreated())
                .andExpect(jsonPath("$.dhchapPolicy.hashes.length()").value(3))
                .andExpect(jsonPath("$.dhchapPolicy.dhGroups.length()").value(6))), "$.id");

        json(put(subsystem + "/dhchap-policy"), "{\"hashes\":[\"SHA512\",\"SHA384\"],\"dhGroups\":[\"FFDHE8192\"]}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.dhchapPolicy.hashes[0]").value("SHA384"))
                .andExpect(jsonPath("$.dhchapPolicy.hashes[1]").value("SHA512"))
                .andExpect(jsonPath("$.dhchapPolicy.dhGroups[0]").value("FFDHE8192"))
                .andExpect(jsonPath("$.state").value("APPLIED"));
        json(put(subsystem + "/dhchap-policy"), "{\"hashes\":[],\"dhGroups\":[\"NULL\"]}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("hashes"));
        json(put(subsystem + "/dhchap-policy"), "{\"hashes\":[\"MD5\"],\"dhGroups\":[\"NULL\"]}")
                .andExpect(status().isBadRequest());
        as(get("/api/v1/audit?size=500"))
                .andExpect(jsonPath("$.entries[?(@.action == 'DHCHAP_POLICY_CHANGED' && @.target == '" + nqn + "')]").exists());
    }

    /** The secret columns of the host's row that hold something. */
    private List<String> storedSecrets(int hostId) {
        Map<String, Object> row = jdbc.sql("SELECT dhchap_secret, dhchap_previous_secret, dhchap_ctrl_secret "
                + "FROM nvmf_allowed_host WHERE id = ?").params(hostId).query().singleRow();
        return row.values().stream().filter(java.util.Objects::nonNull).map(String::valueOf).toList();
    }

    private ResultActions json(MockHttpServletRequestBuilder request, String body) throws Exception {
        return as(request.contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private ResultActions as(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }
}
