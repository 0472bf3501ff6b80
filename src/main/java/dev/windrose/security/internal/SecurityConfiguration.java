package dev.windrose.security.internal;

import com.vaadin.flow.spring.security.RequestUtil;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.security.ui.FirstRunView;
import dev.windrose.security.ui.LoginView;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.config.ObjectPostProcessor;

/**
 * Three filter chains, tried in order:
 * <ol>
 * <li>{@code /api/**}: stateless, bearer API tokens, 401/403 as problem details, never a session;</li>
 * <li>operations ({@code /actuator/**}, OpenAPI, Swagger UI): open, stateless;</li>
 * <li>everything else: the Vaadin console with form login at {@code /login}.</li>
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity(jsr250Enabled = true)
class SecurityConfiguration {

    static final String API_PATHS = "/api/**";

    /**
     * The console's Content-Security-Policy. Vaadin's client needs inline scripts (the bootstrap page),
     * eval (Flow runs server-sent JavaScript through {@code new Function}) and inline styles (Lumo, the
     * charts); what the policy still buys: nothing loads or connects anywhere but this server, no
     * plugins, no framing, no foreign form targets or base URL.
     */
    static final String CONSOLE_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            + "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";
    /** The REST API answers JSON only: nothing in it may run or be framed. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    /** Argon2id for new hashes; bcrypt still verifies, should hashes ever be imported. */
    @Bean
    PasswordEncoder passwordEncoder() {
        Map<String, PasswordEncoder> encoders = Map.of(
                "argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "bcrypt", new BCryptPasswordEncoder());
        return new DelegatingPasswordEncoder("argon2", encoders);
    }

    /** The one way to check a password: login form and token exchange alike, throttled and audited. */
    @Bean
    AuthenticationManager authenticationManager(UserDetailsService userDetails, PasswordEncoder passwordEncoder,
            LoginThrottle throttle, AuditLog auditLog) {
        DaoAuthenticationProvider passwordCheck = new DaoAuthenticationProvider(userDetails);
        passwordCheck.setPasswordEncoder(passwordEncoder);
        return new ProviderManager(new ThrottledAuthenticationProvider(passwordCheck, throttle, auditLog));
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiFilterChain(HttpSecurity http, UserService users, ApiTokenAuthenticator tokens,
            ProblemResponses problems, ObjectProvider<SecurityContextHolderStrategy> strategies) throws Exception {
        var entryPoint = new ProblemAuthenticationEntryPoint(problems);
        http.securityMatcher(API_PATHS)
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .addFilterBefore(new DatabaseUnreachableFilter(problems), DisableEncodeUrlFilter.class)
                .addFilterBefore(new FirstRunApiGuard(users, problems), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, entryPoint, strategies), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(SecurityConfiguration::apiRules)
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(API_CSP)))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(new ProblemAccessDeniedHandler(problems)));
        return http.build();
    }

    /**
     * Who may call what, by URL, before any controller runs: so a body that fails validation never tells a
     * lower role more than "forbidden", and an endpoint is guarded even if its service forgot its
     * {@code @PreAuthorize} (which stays, as the second wall). Reads are for viewers and writes for
     * operators unless listed above them. {@code ApiRoleMatrixTest} calls every documented operation with
     * every role against this table's intent, so a new endpoint must be added there too.
     */
    private static void apiRules(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules) {
        rules.requestMatchers(HttpMethod.POST, "/api/v1/auth/tokens").permitAll()
                // Every signed-in user: who am I, my own tokens (the service checks ownership).
                .requestMatchers(HttpMethod.GET, "/api/v1/auth/whoami", "/api/v1/tokens").authenticated()
                .requestMatchers(HttpMethod.DELETE, "/api/v1/tokens/*").authenticated()
                // Administrators: users, the audit log, lab disks (files on this host), alert thresholds and
                // delivery (its settings name mail servers and hooks), cluster nodes.
                .requestMatchers("/api/v1/users", "/api/v1/users/**", "/api/v1/audit", "/api/v1/audit/**",
                        "/api/v1/alert-delivery", "/api/v1/alert-delivery/**")
                .hasRole(Role.Names.ADMIN)
                .requestMatchers(HttpMethod.POST, "/api/v1/disks").hasRole(Role.Names.ADMIN)
                .requestMatchers(HttpMethod.DELETE, "/api/v1/disks/*").hasRole(Role.Names.ADMIN)
                .requestMatchers(HttpMethod.PUT, "/api/v1/alert-thresholds").hasRole(Role.Names.ADMIN)
                // The cluster's membership: accepting, renaming, removing nodes and join tokens.
                .requestMatchers(HttpMethod.POST, "/api/v1/cluster/nodes/*/accept", "/api/v1/cluster/join-tokens")
                .hasRole(Role.Names.ADMIN)
                .requestMatchers(HttpMethod.PATCH, "/api/v1/cluster/nodes/*").hasRole(Role.Names.ADMIN)
                .requestMatchers(HttpMethod.DELETE, "/api/v1/cluster/nodes/*").hasRole(Role.Names.ADMIN)
                // Checks change nothing: viewers may ask what a change would do.
                .requestMatchers(HttpMethod.POST, "/api/v1/aggregations/checks", "/api/v1/aggregations/*/checks")
                .hasRole(Role.Names.VIEWER)
                .requestMatchers(HttpMethod.GET, "/api/**").hasRole(Role.Names.VIEWER)
                .requestMatchers(HttpMethod.HEAD, "/api/**").hasRole(Role.Names.VIEWER)
                .requestMatchers(HttpMethod.POST, "/api/**").hasRole(Role.Names.OPERATOR)
                .requestMatchers(HttpMethod.PUT, "/api/**").hasRole(Role.Names.OPERATOR)
                .requestMatchers(HttpMethod.PATCH, "/api/**").hasRole(Role.Names.OPERATOR)
                .requestMatchers(HttpMethod.DELETE, "/api/**").hasRole(Role.Names.OPERATOR)
                .anyRequest().authenticated();
    }

    /**
     * Health, metrics and the API description. A Prometheus scrape may bring an API token: with one it sees
     * pool names and subsystem NQNs, without one only totals ({@code PrometheusExport}); with
     * {@code windrose.metrics.require-token=true} it must bring one.
     */
    @Bean
    @Order(2)
    SecurityFilterChain operationsFilterChain(HttpSecurity http, ApiTokenAuthenticator tokens, ProblemResponses problems,
            ObjectProvider<SecurityContextHolderStrategy> strategies,
            @Value("${windrose.metrics.require-token:false}") boolean metricsRequireToken) throws Exception {
        var entryPoint = new ProblemAuthenticationEntryPoint(problems);
        http.securityMatcher("/actuator/**", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, entryPoint, strategies), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> {
                    if (metricsRequireToken) {
                        requests.requestMatchers("/actuator/prometheus", "/actuator/prometheus/**").hasRole(Role.Names.VIEWER);
                    }
                    requests.anyRequest().permitAll();
                })
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(new ProblemAccessDeniedHandler(problems)));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain consoleFilterChain(HttpSecurity http, AuthenticationManager authenticationManager,
            UserService users, AuditLog auditLog, RequestUtil vaadinRequests) throws Exception {
        http.authenticationManager(authenticationManager)
                // Vaadin would exempt the login page from CSRF; here only its own framework requests (UIDL,
                // push, which carry Vaadin's own token) are exempt, so POST /login needs Spring's token,
                // which Vaadin's login form sends from the page's _csrf meta tags.
                .csrf(csrf -> csrf.ignoringRequestMatchers(vaadinRequests::isFrameworkInternalRequest))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONSOLE_CSP))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                        // Console pages are forwarded to the Vaadin servlet, and a forward commits the
                        // response behind the filter's back: headers written at commit never arrive.
                        .addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                            @Override
                            public <O extends HeaderWriterFilter> O postProcess(O filter) {
                                filter.setShouldWriteHeadersEagerly(true);
                                return filter;
                            }
                        }))
                // Vaadin denies every path it does not know; without /error, errors become login redirects.
                // The set-up and login pages must load without a session; Vaadin would find them from the
                // route registry, but only once its servlet runs, so say it explicitly. The views
                // themselves are @AnonymousAllowed and check their own preconditions. The console's icon is
                // asked for on those pages too: redirected to /login, the image request ended in a 404.
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/error", "/" + FirstRunView.ROUTE, "/" + LoginView.ROUTE, "/icons/**")
                        .permitAll())
                .addFilterBefore(new FirstRunRedirectFilter(users), ExceptionTranslationFilter.class)
                .with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin
                        .enableCsrfConfiguration(false)
                        .loginView(LoginView.class)
                        // Signed-in users reach Vaadin for any path, so an unknown one gets the console's
                        // own "not found" view instead of a bare 403; anonymous users still go to /login.
                        .anyRequest(AuthorizeHttpRequestsConfigurer.AuthorizedUrl::authenticated)
                        .addLogoutHandler(new AuditingLogoutHandler(auditLog)));
        return http.build();
    }
}
