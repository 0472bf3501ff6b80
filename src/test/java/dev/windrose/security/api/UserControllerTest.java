package dev.windrose.security.api;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anySet;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.windrose.common.NotFoundException;
import dev.windrose.security.Role;
import dev.windrose.security.UserId;
import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;
import dev.windrose.security.UsernameTakenException;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The users controller alone: JSON in and out, validation and error mapping (security is tested elsewhere). */
@WebMvcTest(UserController.class)
@AutoConfigureMockMvc(addFilters = false)
class UserControllerTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    UserService users;

    @Test
    void a_user_is_listed_without_any_password_hash() throws Exception {
        when(users.listUsers()).thenReturn(java.util.List.of(
                new UserSummary(new UserId(7), "ann", Set.of(Role.OPERATOR), true, Instant.parse("2026-01-01T00:00:00Z"))));
        mvc.perform(get("/api/v1/users"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].id").value(7))
                .andExpect(jsonPath("$[0].username").value("ann"))
                .andExpect(jsonPath("$[0].roles[0]").value("OPERATOR"))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("password"))));
    }

    @Test
    void a_body_missing_fields_is_400_listing_each_missing_field() throws Exception {
        mvc.perform(post("/api/v1/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"ann\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[?(@.field == 'password')]").exists())
                .andExpect(jsonPath("$.errors[?(@.field == 'roles')]").exists());
        verifyNoInteractions(users);
    }

    @Test
    void a_taken_username_is_409() throws Exception {
        when(users.createUser(anyString(), anyString(), anySet())).thenThrow(new UsernameTakenException("ann"));
        mvc.perform(post("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"ann\",\"password\":\"Quiet-Harbour-Lantern-7\",\"roles\":[\"VIEWER\"]}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value("The username 'ann' is already taken."));
    }

    @Test
    void an_unknown_user_is_404() throws Exception {
        when(users.get(any())).thenThrow(new NotFoundException("There is no user with id 99."));
        mvc.perform(get("/api/v1/users/99"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("There is no user with id 99."));
    }

    @Test
    void an_unknown_role_name_is_400_naming_the_field() throws Exception {
        mvc.perform(post("/api/v1/users").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"ann\",\"password\":\"Quiet-Harbour-Lantern-7\",\"roles\":[\"ROOT\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("roles[0]"));
    }

    @Test
    void malformed_json_is_400_problem_json() throws Exception {
        mvc.perform(post("/api/v1/users").contentType(MediaType.APPLICATION_JSON).content("{\"username\":"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("The request body is not valid JSON for this endpoint."));
        verifyNoInteractions(users);
    }
}
