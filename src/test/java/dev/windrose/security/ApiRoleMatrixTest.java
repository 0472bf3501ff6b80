package dev.windrose.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Every operation of {@code /v3/api-docs}, called by each kind of caller: no token, a garbage token, a
 * viewer, an operator and an administrator. {@link #MINIMUM_ROLE} is the intended rule for each operation;
 * an operation documented but missing there (a new endpoint nobody gave a rule) fails the build, and so
 * does a rule for an operation that no longer exists.
 *
 * <p>Calls carry a body that no endpoint accepts ({@code []}) and ids that do not exist, so an allowed
 * caller gets a 400 or 404 (or a harmless read) and changes nothing; what the test checks is that callers
 * below the minimum get exactly 403 (401 without a valid token), those at or above it never 401/403, and
 * that every one of these refusals is problem+json.
 */
// FabricApiTest's context (same properties): started once for all of them.
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ApiRoleMatrixTest {

    /** Who a caller is. */
    enum Caller { NO_TOKEN, GARBAGE_TOKEN, VIEWER, OPERATOR, ADMIN }

    /** The least a caller must be for an operation; {@code PUBLIC} needs no token at all. */
    enum Minimum { PUBLIC, VIEWER, OPERATOR, ADMIN }

    static final Map<String, Minimum> MINIMUM_ROLE = rules(
            "POST /api/v1/auth/tokens", Minimum.PUBLIC,
            "GET /api/v1/auth/whoami", Minimum.VIEWER,
            "GET /api/v1/tokens", Minimum.VIEWER,
            "DELETE /api/v1/tokens/{id}", Minimum.VIEWER,
            "GET /api/v1/users", Minimum.ADMIN,
            "POST /api/v1/users", Minimum.ADMIN,
            "GET /api/v1/users/{id}", Minimum.ADMIN,
            "PATCH /api/v1/users/{id}", Minimum.ADMIN,
            "DELETE /api/v1/users/{id}", Minimum.ADMIN,
            "GET /api/v1/audit", Minimum.ADMIN,
            "GET /api/v1/hosts", Minimum.VIEWER,
            "GET /api/v1/hosts/{id}", Minimum.VIEWER,
            "GET /api/v1/disks", Minimum.VIEWER,
            "GET /api/v1/disks/{id}", Minimum.VIEWER,
            "POST /api/v1/disks", Minimum.ADMIN,
            "DELETE /api/v1/disks/{id}", Minimum.ADMIN,
            "POST /api/v1/disks/rescan", Minimum.OPERATOR,
            "GET /api/v1/pools", Minimum.VIEWER,
            "GET /api/v1/pools/labels", Minimum.VIEWER,
            "GET /api/v1/pools/importable", Minimum.VIEWER,
            "POST /api/v1/pools/import", Minimum.OPERATOR,
            "GET /api/v1/pools/{id}", Minimum.VIEWER,
            "POST /api/v1/pools", Minimum.OPERATOR,
            "PATCH /api/v1/pools/{id}", Minimum.OPERATOR,
            "DELETE /api/v1/pools/{id}", Minimum.OPERATOR,
            "GET /api/v1/volumes", Minimum.VIEWER,
            "GET /api/v1/volumes/{id}", Minimum.VIEWER,
            "POST /api/v1/volumes", Minimum.OPERATOR,
            "PATCH /api/v1/volumes/{id}", Minimum.OPERATOR,
            "DELETE /api/v1/volumes/{id}", Minimum.OPERATOR,
            "GET /api/v1/mirrored-volumes", Minimum.VIEWER,
            "GET /api/v1/mirrored-volumes/{id}", Minimum.VIEWER,
            "POST /api/v1/mirrored-volumes", Minimum.OPERATOR,
            "DELETE /api/v1/mirrored-volumes/{id}", Minimum.OPERATOR,
            "POST /api/v1/mirrored-volumes/{id}/hand-over", Minimum.OPERATOR,
            "POST /api/v1/mirrored-volumes/{id}/drill", Minimum.OPERATOR,
            "GET /api/v1/mirrored-volumes/maintenance/{nodeId}", Minimum.VIEWER,
            "POST /api/v1/mirrored-volumes/maintenance/{nodeId}", Minimum.OPERATOR,
            "DELETE /api/v1/mirrored-volumes/maintenance/{nodeId}", Minimum.OPERATOR,
            "GET /api/v1/subsystems", Minimum.VIEWER,
            "GET /api/v1/subsystems/{id}", Minimum.VIEWER,
            "POST /api/v1/subsystems", Minimum.OPERATOR,
            "PATCH /api/v1/subsystems/{id}", Minimum.OPERATOR,
            "DELETE /api/v1/subsystems/{id}", Minimum.OPERATOR,
            "POST /api/v1/subsystems/{id}/namespaces", Minimum.OPERATOR,
            "DELETE /api/v1/subsystems/{id}/namespaces/{nsid}", Minimum.OPERATOR,
            "POST /api/v1/subsystems/{id}/listeners", Minimum.OPERATOR,
            "DELETE /api/v1/subsystems/{id}/listeners/{listenerId}", Minimum.OPERATOR,
            "POST /api/v1/subsystems/{id}/hosts", Minimum.OPERATOR,
            "DELETE /api/v1/subsystems/{id}/hosts/{hostId}", Minimum.OPERATOR,
            "PUT /api/v1/subsystems/{id}/hosts/{hostId}/dhchap", Minimum.OPERATOR,
            "DELETE /api/v1/subsystems/{id}/hosts/{hostId}/dhchap", Minimum.OPERATOR,
            "PUT /api/v1/subsystems/{id}/dhchap-policy", Minimum.OPERATOR,
            "GET /api/v1/subsystems/{id}/connections", Minimum.VIEWER,
            "GET /api/v1/subsystems/{id}/connect-commands", Minimum.VIEWER,
            "GET /api/v1/initiators", Minimum.VIEWER,
            "POST /api/v1/initiators", Minimum.OPERATOR,
            "DELETE /api/v1/initiators/{id}", Minimum.OPERATOR,
            "GET /api/v1/aggregations", Minimum.VIEWER,
            "GET /api/v1/aggregations/{id}", Minimum.VIEWER,
            "POST /api/v1/aggregations/checks", Minimum.VIEWER,
            "POST /api/v1/aggregations", Minimum.OPERATOR,
            "POST /api/v1/aggregations/{id}/checks", Minimum.VIEWER,
            "PATCH /api/v1/aggregations/{id}", Minimum.OPERATOR,
            "DELETE /api/v1/aggregations/{id}", Minimum.OPERATOR,
            "GET /api/v1/aggregations/{id}/status", Minimum.VIEWER,
            "GET /api/v1/aggregations/{id}/members/{member}/initiator-config", Minimum.VIEWER,
            "GET /api/v1/stats", Minimum.VIEWER,
            "GET /api/v1/stats/history", Minimum.VIEWER,
            "GET /api/v1/stats/stream", Minimum.VIEWER,
            "GET /api/v1/stats/nodes", Minimum.VIEWER,
            "GET /api/v1/events", Minimum.VIEWER,
            "GET /api/v1/events/open-count", Minimum.VIEWER,
            "GET /api/v1/events/{id}", Minimum.VIEWER,
            "POST /api/v1/events/{id}/acknowledge", Minimum.OPERATOR,
            "GET /api/v1/alert-thresholds", Minimum.VIEWER,
            "PUT /api/v1/alert-thresholds", Minimum.ADMIN,
            "GET /api/v1/alert-delivery", Minimum.ADMIN,
            "PUT /api/v1/alert-delivery", Minimum.ADMIN,
            "POST /api/v1/alert-delivery/{channel}/test", Minimum.ADMIN,
            "POST /api/v1/alert-delivery/webhook/secret", Minimum.ADMIN,
            "GET /api/v1/cluster/nodes", Minimum.VIEWER,
            "GET /api/v1/cluster/nodes/{id}", Minimum.VIEWER,
            "POST /api/v1/cluster/nodes/{id}/accept", Minimum.ADMIN,
            "PATCH /api/v1/cluster/nodes/{id}", Minimum.ADMIN,
            "DELETE /api/v1/cluster/nodes/{id}", Minimum.ADMIN,
            "GET /api/v1/cluster/join-command", Minimum.VIEWER,
            "POST /api/v1/cluster/join-tokens", Minimum.ADMIN,
            "GET /api/v1/cluster/requests", Minimum.VIEWER,
            "GET /api/v1/cluster/requests/{id}", Minimum.VIEWER);

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;

    private final Map<Caller, String> tokens = new EnumMap<>(Caller.class);

    @BeforeEach
    void one_token_per_role() throws Exception {
        ApiTokens apiTokens = new ApiTokens(mvc, users);
        tokens.put(Caller.GARBAGE_TOKEN, "wr_garbage-" + "x".repeat(40));
        tokens.put(Caller.VIEWER, apiTokens.userWithRole(Role.VIEWER));
        tokens.put(Caller.OPERATOR, apiTokens.userWithRole(Role.OPERATOR));
        tokens.put(Caller.ADMIN, apiTokens.admin());
    }

    @Test
    void every_documented_operation_has_a_rule_and_every_rule_a_documented_operation() throws Exception {
        Set<String> documented = documentedOperations().keySet();

        assertThat(new TreeSet<>(documented))
                .as("operations in /v3/api-docs without a rule in ApiRoleMatrixTest.MINIMUM_ROLE (and in "
                        + "SecurityConfiguration.apiRules): give each new endpoint its rule")
                .isSubsetOf(MINIMUM_ROLE.keySet());
        assertThat(new TreeSet<>(MINIMUM_ROLE.keySet()))
                .as("rules for operations /v3/api-docs no longer has")
                .isSubsetOf(documented);
    }

    @TestFactory
    Stream<DynamicTest> every_operation_answers_each_caller_as_its_rule_says() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        documentedOperations().forEach((operation, hasBody) -> {
            Minimum minimum = MINIMUM_ROLE.get(operation);
            for (Caller caller : Caller.values()) {
                tests.add(DynamicTest.dynamicTest(operation + " as " + caller,
                        () -> check(operation, hasBody, minimum, caller)));
            }
        });
        return tests.stream();
    }

    private void check(String operation, boolean hasBody, Minimum minimum, Caller caller) throws Exception {
        assertThat(minimum).as("rule for " + operation).isNotNull();
        MockHttpServletResponse response = call(operation, hasBody, caller);
        int status = response.getStatus();
        String what = operation + " as " + caller + " answered " + status + ": " + response.getContentAsString();

        int expectedRefusal = refusalFor(minimum, caller);
        if (expectedRefusal != 0) {
            assertThat(status).as(what).isEqualTo(expectedRefusal);
        } else {
            assertThat(status).as(what).isNotIn(401, 403).isLessThan(500);
        }
        if (status >= 400) {
            assertThat(response.getContentType()).as(what).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        }
    }

    /** 401 or 403 when this caller must be refused, 0 when it must be let through. */
    private static int refusalFor(Minimum minimum, Caller caller) {
        return switch (caller) {
            // A bad token is refused even where no token is needed: it is a mistake worth hearing about.
            case GARBAGE_TOKEN -> 401;
            case NO_TOKEN -> minimum == Minimum.PUBLIC ? 0 : 401;
            case VIEWER -> minimum.compareTo(Minimum.VIEWER) <= 0 ? 0 : 403;
            case OPERATOR -> minimum.compareTo(Minimum.OPERATOR) <= 0 ? 0 : 403;
            case ADMIN -> 0;
        };
    }

    private MockHttpServletResponse call(String operation, boolean hasBody, Caller caller) throws Exception {
        String[] parts = operation.split(" ", 2);
        // Ids that exist nowhere; a string parameter ({member}) gets a name nobody uses.
        String path = parts[1].replaceAll("\\{(id|nsid|listenerId|hostId)}", "987654321")
                .replaceAll("\\{[^}]+}", "no-such-member");
        MockHttpServletRequestBuilder request = request(HttpMethod.valueOf(parts[0]), path)
                .with(r -> {
                    r.setRemoteAddr("10.77.0.1");
                    return r;
                });
        String token = tokens.get(caller);
        if (token != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        if (hasBody) {
            // A JSON array where every endpoint expects an object: refused with 400 before anything changes.
            request.contentType(MediaType.APPLICATION_JSON).content("[]");
        }
        return mvc.perform(request).andReturn().getResponse();
    }

    /** "METHOD /path" of every documented operation, and whether it takes a request body. */
    private Map<String, Boolean> documentedOperations() throws Exception {
        String document = mvc.perform(request(HttpMethod.GET, "/v3/api-docs")).andReturn().getResponse()
                .getContentAsString();
        Map<String, Map<String, Map<String, Object>>> paths = JsonPath.read(document, "$.paths");
        Map<String, Boolean> operations = new TreeMap<>();
        paths.forEach((path, methods) -> methods.forEach((method, operation) ->
                operations.put(method.toUpperCase() + " " + path, operation.containsKey("requestBody"))));
        assertThat(operations).as("operations in /v3/api-docs").isNotEmpty();
        return operations;
    }

    private static Map<String, Minimum> rules(Object... pairs) {
        Map<String, Minimum> rules = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            rules.put((String) pairs[i], (Minimum) pairs[i + 1]);
        }
        return rules;
    }
}
