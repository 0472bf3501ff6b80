package dev.windrose.inventory;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** Bearer tokens for REST tests: the administrator's, and those of new users of one role, made through the API. */
public final class ApiTokens {

    public static final String ADMIN = "storage-admin";
    public static final String PASSWORD = "Quiet-Harbour-Lantern-7";
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    private final MockMvc mvc;
    private final UserService users;

    public ApiTokens(MockMvc mvc, UserService users) {
        this.mvc = mvc;
        this.users = users;
    }

    public String admin() throws Exception {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ADMIN, PASSWORD);
        }
        return tokenFor(ADMIN);
    }

    /** A new user holding just this role, and a token of theirs. */
    public String userWithRole(Role role) throws Exception {
        String username = "u-" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(post("/api/v1/users").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\""
                                + role.name() + "\"]}"))
                .andExpect(status().isCreated());
        return tokenFor(username);
    }

    private String tokenFor(String username) throws Exception {
        int n = ADDRESSES.incrementAndGet();
        MvcResult result = mvc.perform(post("/api/v1/auth/tokens")
                        .with(request -> {
                            request.setRemoteAddr("10.9." + (n / 250) + "." + (n % 250 + 1));
                            return request;
                        })
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD
                                + "\",\"name\":\"test\",\"expiresInDays\":1}"))
                .andExpect(status().isCreated()).andReturn();
        return JsonPath.read(result.getResponse().getContentAsString(), "$.secret");
    }
}
