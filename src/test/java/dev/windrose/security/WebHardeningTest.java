package dev.windrose.security;

import static dev.windrose.support.TestValues.body;
import static dev.windrose.support.TestValues.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * What a hostile client tried against the web layer: malformed API requests, a sign-in without a CSRF
 * token, missing security headers, anonymous metrics. Raw requests go through the real Tomcat (a
 * client library would tidy them first); the rest through MockMvc and the same filter chains.
 */
// TelemetryApiTest's context (same properties): a real server, started once for both.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "windrose.test-context=telemetry-api", "windrose.telemetry.sample-interval=PT0.5S",
        "windrose.telemetry.fine-step=PT2S", "windrose.telemetry.coarse-step=PT4S",
        "windrose.telemetry.alert-interval=PT1S"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
class WebHardeningTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    dev.windrose.inventory.HostService hosts;
    @LocalServerPort
    int port;

    String admin;

    @BeforeEach
    void signIn() throws Exception {
        admin = new ApiTokens(mvc, users).admin();
    }

    @Test
    void every_malformed_or_unknown_api_request_is_answered_with_problem_json() throws Exception {
        String bearer = "Authorization: Bearer " + admin + "\r\n";
        List<String> requests = List.of(
                "GET /api/v1/no-such-thing HTTP/1.1\r\n" + bearer,
                "GET /api/v1/USERS HTTP/1.1\r\n" + bearer,
                "GET /API/v1/users HTTP/1.1\r\n" + bearer,
                "GET /api/v1/users.json HTTP/1.1\r\n" + bearer,
                "GET /api/v1//users HTTP/1.1\r\n" + bearer,
                "GET /api/v1/users;x=1 HTTP/1.1\r\n" + bearer,
                "GET /api/v1/users/%ZZ HTTP/1.1\r\n" + bearer,
                "GET /api/v1/users/%2e%2e/audit HTTP/1.1\r\n" + bearer,
                "PUT /api/v1/users HTTP/1.1\r\n" + bearer + "Content-Length: 0\r\n",
                "GET /api/v1/users HTTP/1.1\r\nX-Padding: " + "a".repeat(8 * 1024) + "\r\n" + bearer,
                "GET /api/v1/users HTTP/1.1\r\nAuthorization: Bearer\r\n");
        for (String request : requests) {
            String response = raw(request);
            String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n"))).toLowerCase(Locale.ROOT);
            String statusLine = head.lines().findFirst().orElse("");
            boolean withToken = request.contains(admin);
            assertThat(statusLine).as(request.lines().findFirst().orElseThrow() + " → " + response)
                    .matches(withToken ? "http/1.1 (400|404|405) .*" : "http/1.1 401 .*");
            assertThat(head).as(request.lines().findFirst().orElseThrow() + " → " + response)
                    .contains("content-type: application/problem+json");
            assertThat(response).as(request.lines().findFirst().orElseThrow())
                    .doesNotContain("<html").doesNotContain("Apache Tomcat").doesNotContain("window.Vaadin");
        }
    }

    @Test
    void unknown_and_case_changed_api_paths_are_404_problems_not_the_console_page() throws Exception {
        for (String path : List.of("/api/v1/USERS", "/API/v1/users", "/api/v1/users.json", "/api/v2/users", "/api")) {
            mvc.perform(get(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                    .andExpect(status().isNotFound())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail", containsString("/v3/api-docs")));
        }
    }

    @Test
    void a_null_in_a_list_and_a_page_beyond_any_offset_are_400_naming_the_field() throws Exception {
        as(post("/api/v1/pools").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"n\",\"type\":\"DISK\",\"diskIds\":[null]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("diskIds[0]"));
        for (String path : List.of("/api/v1/pools", "/api/v1/volumes", "/api/v1/disks", "/api/v1/hosts",
                "/api/v1/events", "/api/v1/audit", "/api/v1/aggregations")) {
            as(get(path).param("page", "2147483647"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].field").value("page"));
        }
    }

    @Test
    void signing_in_without_the_csrf_token_is_refused() throws Exception {
        mvc.perform(post("/login").param("username", ApiTokens.ADMIN).param("password", ApiTokens.PASSWORD))
                .andExpect(status().isForbidden());
        mvc.perform(post("/login").with(csrf().useInvalidToken())
                        .param("username", ApiTokens.ADMIN).param("password", ApiTokens.PASSWORD))
                .andExpect(status().isForbidden());
        mvc.perform(post("/login").with(csrf()).with(request -> {
                    request.setRemoteAddr("10.66.0.1");
                    return request;
                }).param("username", ApiTokens.ADMIN).param("password", ApiTokens.PASSWORD))
                .andExpect(status().isFound())
                .andExpect(result -> assertThat(result.getResponse().getRedirectedUrl()).doesNotContain("error"));
    }

    @Test
    void console_pages_carry_a_content_security_policy_and_the_other_protective_headers() throws Exception {
        HttpResponse<String> page = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        HttpHeaders headers = new HttpHeaders();
        page.headers().map().forEach(headers::addAll);
        assertThat(headers.getFirst("Content-Security-Policy")).as(headers.toString())
                .contains("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "form-action 'self'");
        assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(headers.getFirst("Cache-Control")).contains("no-store");
        assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("same-origin");
        // Vaadin sets X-Frame-Options SAMEORIGIN on its pages; the policy's frame-ancestors 'none' is stricter.
        assertThat(headers.getFirst("X-Frame-Options")).isIn("DENY", "SAMEORIGIN");
        assertThat(headers.get(HttpHeaders.SET_COOKIE)).as("the session cookie")
                .anySatisfy(cookie -> assertThat(cookie).startsWith("JSESSIONID=").contains("SameSite=Lax")
                        .contains("HttpOnly"));
    }

    @Test
    void anonymous_prometheus_scrapes_show_no_pool_names_or_nqns_but_a_token_holder_sees_them() throws Exception {
        String pool = unique("secret-pool");
        String nqn = "nqn.2026-12.dev.windrose:" + unique("secret-subsystem");
        int poolId = JsonPath.read(body(as(post("/api/v1/pools").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + pool + "\",\"type\":\"MEMORY\",\"capacityBytes\":33554432}"))
                .andExpect(status().isCreated())), "$.id");
        int volumeId = JsonPath.read(body(as(post("/api/v1/volumes").contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + unique("v") + "\",\"poolId\":" + poolId + ",\"sizeBytes\":4194304}"))
                .andExpect(status().isCreated())), "$.id");
        int subsystemId = JsonPath.read(body(as(post("/api/v1/subsystems").contentType(MediaType.APPLICATION_JSON)
                .content("{\"nqn\":\"" + nqn + "\"}")).andExpect(status().isCreated())), "$.id");
        try {
            as(post("/api/v1/subsystems/" + subsystemId + "/namespaces").contentType(MediaType.APPLICATION_JSON)
                    .content("{\"volumeId\":" + volumeId + "}")).andExpect(status().isCreated());
            String withToken = "";
            for (int tries = 0; tries < 30 && !withToken.contains(nqn); tries++) {
                Thread.sleep(500);
                withToken = body(as(get("/actuator/prometheus")).andExpect(status().isOk()));
            }
            assertThat(withToken).as("a scrape with a token").contains(pool).contains(nqn);

            String anonymous = body(mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk()));
            assertThat(anonymous).doesNotContain(pool).doesNotContain(nqn).doesNotContain("secret-")
                    .contains("windrose_namespace_ops_total{direction=\"read\",node=\"" + hosts.local().name()
                            + "\",nsid=\"0\",subsystem=\"all\"}");
        } finally {
            as(delete("/api/v1/subsystems/" + subsystemId));
            as(delete("/api/v1/volumes/" + volumeId));
            as(delete("/api/v1/pools/" + poolId));
        }
    }

    private ResultActions as(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin));
    }

    /** One request as bytes on a socket, exactly as written, and the whole answer. */
    private String raw(String requestWithoutEnd) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestWithoutEnd + "Host: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
