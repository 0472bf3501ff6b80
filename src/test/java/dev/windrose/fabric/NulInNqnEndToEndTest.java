package dev.windrose.fabric;

import static dev.windrose.support.TestValues.body;
import static dev.windrose.support.TestValues.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import dev.windrose.support.Leftovers;
import dev.windrose.support.NvmeTcpHost;
import java.io.IOException;
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
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Issue 13, item 2, over real sockets: an operator tries to create "…:twin\0evil" open to any host and to allow
 * host "…:h\0x" on the restricted "…:twin"; both are refused, and an unlisted host (also "…:h") still cannot
 * connect to "…:twin" with the context's real embedded target, whether it names the subsystem plainly or with
 * the NUL on the wire, while the listed host can.
 */
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class NulInNqnEndToEndTest {

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
    void an_unlisted_host_cannot_reach_the_restricted_twin_after_someone_tried_to_create_twin_nul_evil()
            throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String twin = "nqn.2026-12.dev.example:twin-" + unique;
        String listed = "nqn.2026-12.dev.example:allowed-" + unique;
        String unlisted = "nqn.2026-12.dev.example:h-" + unique;
        int port = freePort();
        int id = JsonPath.read(body(json("/api/v1/subsystems", "{\"nqn\":\"" + twin + "\"}")
                .andExpect(status().isCreated())), "$.id");
        json("/api/v1/subsystems/" + id + "/hosts", "{\"hostNqn\":\"" + listed + "\"}").andExpect(status().isCreated());
        json("/api/v1/subsystems/" + id + "/listeners", "{\"address\":\"127.0.0.1\",\"port\":" + port + "}")
                .andExpect(status().isCreated()).andExpect(jsonPath("$.listeners[0].state").value("APPLIED"));

        json("/api/v1/subsystems", "{\"nqn\":\"" + twin + "\\u0000evil\",\"allowAnyHost\":true}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("nqn"));
        json("/api/v1/subsystems/" + id + "/hosts", "{\"hostNqn\":\"" + unlisted + "\\u0000x\"}")
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("hostNqn"));
        mvc.perform(get("/api/v1/subsystems/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(jsonPath("$.allowAnyHost").value(false))
                .andExpect(jsonPath("$.allowedHosts.length()").value(1))
                .andExpect(jsonPath("$.state").value("APPLIED"));

        for (String asked : new String[] {twin, twin + "\u0000evil"}) {
            assertThatThrownBy(() -> NvmeTcpHost.admin("127.0.0.1", port, asked, unlisted).close())
                    .as("the unlisted host connecting to %s", asked.replace("\u0000", "\\0"))
                    .isInstanceOf(IOException.class).hasMessageContaining("failed with status");
        }
        try (NvmeTcpHost host = NvmeTcpHost.admin("127.0.0.1", port, twin, listed)) {
            assertThat(host).isNotNull();
        }
    }

    private ResultActions json(String path, String body) throws Exception {
        return mvc.perform(post(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
