package dev.windrose.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** The REST API's security, end to end through the real filter chains, services and database. */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ApiSecurityTest {

    static final String ADMIN = "root-admin";
    static final String ADMIN_PASSWORD = "Very-Long-Admin-Secret-42";
    static final String PASSWORD = "Quiet-Harbour-Lantern-7";
    private static final AtomicInteger ADDRESSES = new AtomicInteger(10);

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void an_administrator_exists() {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ADMIN, ADMIN_PASSWORD);
        }
    }

    @Test
    void credentials_buy_a_token_that_authenticates_api_calls_without_any_session_cookie() throws Exception {
        String token = tokenFor(ADMIN, ADMIN_PASSWORD);
        assertThat(token).startsWith("wr_");

        MvcResult result = mvc.perform(get("/api/v1/auth/whoami").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.username").value(ADMIN))
                .andExpect(jsonPath("$.roles[0]").value("ADMIN"))
                .andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE))
                .andReturn();
        assertThat(result.getRequest().getSession(false)).as("no HTTP session for API calls").isNull();
    }

    @Test
    void the_token_exchange_itself_sets_no_cookie_and_shows_the_secret_once() throws Exception {
        MvcResult result = requestToken(ADMIN, ADMIN_PASSWORD, "once").andExpect(status().isCreated())
                .andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE)).andReturn();
        assertThat(result.getRequest().getSession(false)).isNull();
        String token = JsonPath.read(result.getResponse().getContentAsString(), "$.secret");

        mvc.perform(get("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].name", hasItem("once")))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString(token))));
    }

    @Test
    void a_request_without_a_token_gets_401_problem_json_saying_how_to_authenticate() throws Exception {
        mvc.perform(get("/api/v1/auth/whoami"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("Bearer")))
                .andExpect(jsonPath("$.detail", containsString("Authorization: Bearer")))
                .andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE));
    }

    @Test
    void an_unknown_token_gets_401_problem_json() throws Exception {
        mvc.perform(get("/api/v1/auth/whoami").header(HttpHeaders.AUTHORIZATION,
                        "Bearer wr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("The API token is not known."))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("invalid_token")));
    }

    @Test
    void an_expired_token_gets_401_problem_json_saying_it_expired() throws Exception {
        String token = tokenFor(ADMIN, ADMIN_PASSWORD, "soon-expired");
        jdbc.update("update api_token set expires_at = created_at where name = 'soon-expired'");

        mvc.perform(get("/api/v1/auth/whoami").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("The API token 'soon-expired' has expired: create a new one."));
    }

    @Test
    void a_revoked_token_stops_working_at_once() throws Exception {
        MvcResult created = requestToken(ADMIN, ADMIN_PASSWORD, "to-revoke").andExpect(status().isCreated()).andReturn();
        String token = JsonPath.read(created.getResponse().getContentAsString(), "$.secret");
        Integer id = JsonPath.read(created.getResponse().getContentAsString(), "$.id");

        mvc.perform(delete("/api/v1/tokens/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/auth/whoami").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("The API token 'to-revoke' has been revoked."));
    }

    @Test
    void a_viewer_gets_403_problem_json_on_admin_endpoints_but_may_read_its_own_tokens() throws Exception {
        String viewer = createUser("VIEWER");
        String token = tokenFor(viewer, PASSWORD);

        mvc.perform(get("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString(viewer)));
        mvc.perform(get("/api/v1/audit").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/api/v1/tokens").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk());
    }

    @Test
    void a_wrong_password_gets_401_and_repeated_failures_are_throttled_with_429() throws Exception {
        String user = createUser("OPERATOR");
        RequestPostProcessor attacker = fromAddress();
        for (int i = 0; i < 5; i++) {
            requestToken(user, "Wrong-Password-Guess-" + i, "guess", attacker)
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail").value("The username or password is not correct."));
        }
        // Locked now, even for the right password, and from a different address (per-username lock).
        requestToken(user, PASSWORD, "right-but-locked", fromAddress())
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string(HttpHeaders.RETRY_AFTER, "30"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("Try again in 30 seconds")));
    }

    @Test
    void failed_logins_and_token_changes_are_in_the_audit_log() throws Exception {
        String user = createUser("VIEWER");
        requestToken(user, "Not-The-Password-99", "x", fromAddress()).andExpect(status().isUnauthorized());
        tokenFor(user, PASSWORD, "audited-token");

        String admin = tokenFor(ADMIN, ADMIN_PASSWORD);
        mvc.perform(get("/api/v1/audit?size=500").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.entries[?(@.action == 'USER_CREATED' && @.target == '" + user + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'LOGIN_FAILED' && @.actor == '" + user + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'LOGIN' && @.actor == '" + user + "')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'TOKEN_CREATED' && @.target == 'audited-token')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'FIRST_ADMIN_CREATED' && @.target == '" + ADMIN + "')]").exists());
    }

    @Test
    void creating_a_taken_username_is_409_and_invalid_fields_are_400_naming_the_field() throws Exception {
        String admin = tokenFor(ADMIN, ADMIN_PASSWORD);
        String user = createUser("VIEWER");

        postUser(admin, "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"VIEWER\"]}")
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("The username '" + user + "' is already taken."));
        postUser(admin, "{\"username\":\"newbie\",\"password\":\"short\",\"roles\":[\"VIEWER\"]}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("password"))
                .andExpect(jsonPath("$.detail", containsString("use at least 12")));
        postUser(admin, "{\"username\":\"newbie\",\"password\":\"" + PASSWORD + "\",\"roles\":[]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("roles"));
        postUser(admin, "{\"username\":\"bad name!\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"VIEWER\"]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("username"));
    }

    @Test
    void the_last_enabled_administrator_cannot_be_demoted_disabled_or_deleted() throws Exception {
        String admin = tokenFor(ADMIN, ADMIN_PASSWORD);
        long adminId = jdbc.queryForObject("select id from app_user where username = ?", Long.class, ADMIN);
        long otherAdmins = jdbc.queryForObject("select count(*) from app_user u join app_user_role r on r.user_id = u.id "
                + "where r.role = 'ADMIN' and u.enabled = true and u.username <> ?", Long.class, ADMIN);
        assertThat(otherAdmins).as("this test assumes a single administrator").isZero();

        mvc.perform(patch("/api/v1/users/" + adminId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"roles\":[\"VIEWER\"]}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("last enabled administrator")));
        mvc.perform(delete("/api/v1/users/" + adminId).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isConflict());
        assertThat(jdbc.queryForObject("select enabled from app_user where id = ?", Boolean.class, adminId)).isTrue();
    }

    @Test
    void an_admin_changes_roles_and_disabling_a_user_invalidates_their_tokens() throws Exception {
        String admin = tokenFor(ADMIN, ADMIN_PASSWORD);
        String user = createUser("VIEWER");
        String userToken = tokenFor(user, PASSWORD);
        long id = jdbc.queryForObject("select id from app_user where username = ?", Long.class, user);

        mvc.perform(patch("/api/v1/users/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"roles\":[\"OPERATOR\"],\"enabled\":false}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.roles[0]").value("OPERATOR"))
                .andExpect(jsonPath("$.enabled").value(false));
        mvc.perform(get("/api/v1/auth/whoami").header(HttpHeaders.AUTHORIZATION, "Bearer " + userToken))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("The user '" + user + "' is disabled."));
    }

    @Test
    void a_password_set_by_an_administrator_revokes_the_users_tokens_and_says_why() throws Exception {
        String admin = tokenFor(ADMIN, ADMIN_PASSWORD);
        String user = createUser("OPERATOR");
        String first = tokenFor(user, PASSWORD, "laptop");
        String second = tokenFor(user, PASSWORD, "ci");
        long id = jdbc.queryForObject("select id from app_user where username = ?", Long.class, user);

        mvc.perform(patch("/api/v1/users/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"password\":\"Another-Long-Secret-81\"}"))
                .andExpect(status().isOk());

        for (String token : new String[] {first, second}) {
            mvc.perform(get("/api/v1/auth/whoami").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail", containsString("an administrator set a new password for " + user)));
        }
        mvc.perform(get("/api/v1/audit?size=500").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(jsonPath("$.entries[?(@.action == 'TOKEN_REVOKED' && @.target == 'laptop')]").exists())
                .andExpect(jsonPath("$.entries[?(@.action == 'USER_PASSWORD_CHANGED' && @.target == '" + user
                        + "')].detail", hasItem(containsString("2 API token(s) revoked"))));
        String fresh = tokenFor(user, "Another-Long-Secret-81", "after-reset");
        mvc.perform(get("/api/v1/auth/whoami").header(HttpHeaders.AUTHORIZATION, "Bearer " + fresh))
                .andExpect(status().isOk());
    }

    @Test
    void the_openapi_document_declares_the_bearer_token_scheme() throws Exception {
        mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.components.securitySchemes.apiToken.type").value("http"))
                .andExpect(jsonPath("$.components.securitySchemes.apiToken.scheme").value("bearer"))
                .andExpect(jsonPath("$.security[0].apiToken").exists())
                .andExpect(jsonPath("$.paths['/api/v1/auth/tokens'].post").exists());
    }

    @Test
    void health_probes_and_prometheus_metrics_need_no_credentials() throws Exception {
        mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk())
                .andExpect(content().string(containsString("jvm_memory_used_bytes")));
    }

    // --- helpers -------------------------------------------------------------------------------

    private String createUser(String role) throws Exception {
        String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
        postUser(tokenFor(ADMIN, ADMIN_PASSWORD),
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"" + role + "\"]}")
                .andExpect(status().isCreated());
        return username;
    }

    private ResultActions postUser(String adminToken, String json) throws Exception {
        return mvc.perform(post("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken)
                .contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private String tokenFor(String username, String password) throws Exception {
        return tokenFor(username, password, "test");
    }

    private String tokenFor(String username, String password, String name) throws Exception {
        MvcResult result = requestToken(username, password, name).andExpect(status().isCreated()).andReturn();
        return JsonPath.read(result.getResponse().getContentAsString(), "$.secret");
    }

    private ResultActions requestToken(String username, String password, String name) throws Exception {
        return requestToken(username, password, name, fromAddress());
    }

    private ResultActions requestToken(String username, String password, String name, RequestPostProcessor address)
            throws Exception {
        return mvc.perform(post("/api/v1/auth/tokens").with(address).contentType(MediaType.APPLICATION_JSON)
                .content("{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"name\":\"" + name
                        + "\",\"expiresInDays\":30}"));
    }

    /** Each call comes from its own address, so one test's failures never lock another test out. */
    private static RequestPostProcessor fromAddress() {
        int n = ADDRESSES.incrementAndGet();
        String address = "10.1." + (n / 250) + "." + (n % 250 + 1);
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }
}
