package dev.windrose.common;

import static dev.windrose.support.TestValues.body;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import dev.windrose.support.Leftovers;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Names with a NUL, CR/LF, ESC or a bidi override are refused at every REST entry with a 400 problem that names
 * the field, before anything is stored: NQNs (subsystem, allowed host, aggregation members, initiators,
 * connect commands) and free-text names (pools, volumes, lab disks, users, tokens, initiators, aggregations).
 * The bodies carry the characters as JSON escapes ({@code \u0000}), as a hostile client would send them.
 */
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class HostileNamesApiTest {

    static final String TWIN = "nqn.2026-12.dev.example:twin";
    static final String HOST = "nqn.2026-12.dev.example:h";

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    ApplicationContext context;

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
    void a_subsystem_nqn_with_an_embedded_nul_is_a_400_naming_the_nqn_and_is_not_stored() throws Exception {
        problem(json("/api/v1/subsystems", "{\"nqn\":\"" + TWIN + "\\u0000evil\",\"allowAnyHost\":true}"), "nqn")
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("U+0000 NUL")));
        mvc.perform(get("/api/v1/subsystems").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.nqn =~ /.*twin.*evil.*/)]").isEmpty());
    }

    @Test
    void an_allowed_host_nqn_with_an_embedded_nul_is_a_400_naming_the_host_nqn() throws Exception {
        String nqn = "nqn.2026-12.dev.example:hosts-" + UUID.randomUUID();
        int id = JsonPath.read(body(json("/api/v1/subsystems", "{\"nqn\":\"" + nqn + "\"}")
                .andExpect(status().isCreated())), "$.id");
        problem(json("/api/v1/subsystems/" + id + "/hosts", "{\"hostNqn\":\"" + HOST + "\\u0000x\"}"), "hostNqn");
        mvc.perform(get("/api/v1/subsystems/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk()).andExpect(jsonPath("$.allowedHosts").isEmpty());
        problem(mvc.perform(get("/api/v1/subsystems/" + id + "/connect-commands")
                .param("hostNqn", HOST + "\u0000x").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)), "hostNqn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\r\\n", "\\u001b[2J", "\\u202e", "\\u2066"})
    void nqns_with_control_characters_or_bidi_overrides_are_refused_everywhere_they_enter(String hostile)
            throws Exception {
        problem(json("/api/v1/subsystems", "{\"nqn\":\"" + TWIN + hostile + "x\"}"), "nqn");
        problem(json("/api/v1/initiators", "{\"hostNqn\":\"" + HOST + hostile + "x\",\"name\":\"lab\"}"), "hostNqn");
        problem(json("/api/v1/aggregations/checks", aggregation("lab", "node1", HOST + hostile + "x")),
                "members[0].hostNqn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\r\\n", "\\n", "\\u001b[31m", "\\u202e", "\\u2069", "\\u0085"})
    void free_text_names_with_control_characters_or_bidi_overrides_are_refused_naming_the_field(String hostile)
            throws Exception {
        String name = "evil" + hostile + "name";
        problem(json("/api/v1/pools", "{\"name\":\"" + name + "\",\"type\":\"MEMORY\",\"capacityBytes\":1048576}"),
                "name");
        problem(json("/api/v1/volumes", "{\"name\":\"" + name + "\",\"poolId\":1,\"sizeBytes\":1048576}"), "name");
        problem(json("/api/v1/disks", "{\"name\":\"" + name + "\",\"sizeBytes\":1073741824}"), "name");
        problem(json("/api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + ApiTokens.PASSWORD
                + "\",\"roles\":[\"VIEWER\"]}"), "username");
        problem(json("/api/v1/initiators", "{\"hostNqn\":\"" + HOST + "-" + UUID.randomUUID()
                + "\",\"name\":\"" + name + "\"}"), "name");
        problem(mvc.perform(post("/api/v1/auth/tokens").contentType(MediaType.APPLICATION_JSON)
                .with(request -> {
                    request.setRemoteAddr("10.77.0." + (1 + (hostile.hashCode() & 0x7f)));
                    return request;
                })
                .content("{\"username\":\"" + ApiTokens.ADMIN + "\",\"password\":\"" + ApiTokens.PASSWORD
                        + "\",\"name\":\"" + name + "\",\"expiresInDays\":1}")), "name");
        problem(json("/api/v1/aggregations/checks", aggregation(name, "node1", HOST)), "name");
        problem(json("/api/v1/aggregations/checks", aggregation("lab", name, HOST)), "members[0].name");
    }

    private static String aggregation(String name, String member, String hostNqn) {
        return "{\"name\":\"" + name + "\",\"platform\":\"S2D\",\"members\":[{\"name\":\"" + member
                + "\",\"hostNqn\":\"" + hostNqn + "\",\"drives\":[{\"count\":4,\"sizeBytes\":1073741824,\"poolId\":1}]}]}";
    }

    private ResultActions json(String path, String body) throws Exception {
        return mvc.perform(post(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static ResultActions problem(ResultActions result, String field) throws Exception {
        return result.andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value(field))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("The " + field
                        + " contains")));
    }
}
