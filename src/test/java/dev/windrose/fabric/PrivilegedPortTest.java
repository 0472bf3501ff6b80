package dev.windrose.fabric;

import static dev.windrose.support.TestValues.body;
import static dev.windrose.support.TestValues.unique;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The target runs inside the console's (often root) process: listeners stay off the privileged ports. */
// FabricApiTest's context (same properties): started once for all of them.
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class PrivilegedPortTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;

    @Test
    void a_listener_on_a_port_below_1024_is_400_naming_the_rule_and_the_setting() throws Exception {
        String token = new ApiTokens(mvc, users).admin();
        int id = JsonPath.read(body(as(token, post("/api/v1/subsystems"),
                "{\"nqn\":\"nqn.2026-12.dev.windrose:" + unique("ports") + "\"}").andExpect(status().isCreated())), "$.id");
        try {
            for (int port : new int[] {22, 80, 1023}) {
                as(token, post("/api/v1/subsystems/" + id + "/listeners"), "{\"address\":\"127.0.0.1\",\"port\":" + port + "}")
                        .andExpect(status().isBadRequest())
                        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                        .andExpect(jsonPath("$.errors[0].field").value("port"))
                        .andExpect(jsonPath("$.detail", containsString("Ports below 1024 are reserved")))
                        .andExpect(jsonPath("$.detail", containsString("windrose.fabric.allow-privileged-ports")));
            }
        } finally {
            mvc.perform(delete("/api/v1/subsystems/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
        }
    }

    private ResultActions as(String token, MockHttpServletRequestBuilder request, String json) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(json));
    }
}
