package dev.windrose.security.internal;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.security.ui.FirstRunView;
import dev.windrose.security.ui.LoginView;
import java.util.Map;
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
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

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
            ProblemResponses problems) throws Exception {
        var entryPoint = new ProblemAuthenticationEntryPoint(problems);
        http.securityMatcher(API_PATHS)
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .addFilterBefore(new FirstRunApiGuard(users, problems), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, entryPoint), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(SecurityConfiguration::apiRules)
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
                // Administrators: users, the audit log, lab disks (files on this host), alert thresholds.
                .requestMatchers("/api/v1/users", "/api/v1/users/**", "/api/v1/audit", "/api/v1/audit/**")
                .hasRole(Role.Names.ADMIN)
                .requestMatchers(HttpMethod.POST, "/api/v1/disks").hasRole(Role.Names.ADMIN)
                .requestMatchers(HttpMethod.DELETE, "/api/v1/disks/*").hasRole(Role.Names.ADMIN)
                .requestMatchers(HttpMethod.PUT, "/api/v1/alert-thresholds").hasRole(Role.Names.ADMIN)
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

    @Bean
    @Order(2)
    SecurityFilterChain operationsFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher("/actuator/**", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain consoleFilterChain(HttpSecurity http, AuthenticationManager authenticationManager,
            UserService users, AuditLog auditLog) throws Exception {
        http.authenticationManager(authenticationManager)
                // Vaadin denies every path it does not know; without /error, errors become login redirects.
                // The set-up and login pages must load without a session; Vaadin would find them from the
                // route registry, but only once its servlet runs, so say it explicitly. The views
                // themselves are @AnonymousAllowed and check their own preconditions.
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/error", "/" + FirstRunView.ROUTE, "/" + LoginView.ROUTE).permitAll())
                .addFilterBefore(new FirstRunRedirectFilter(users), ExceptionTranslationFilter.class)
                .with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin
                        .loginView(LoginView.class)
                        // Signed-in users reach Vaadin for any path, so an unknown one gets the console's
                        // own "not found" view instead of a bare 403; anonymous users still go to /login.
                        .anyRequest(AuthorizeHttpRequestsConfigurer.AuthorizedUrl::authenticated)
                        .addLogoutHandler(new AuditingLogoutHandler(auditLog)));
        return http.build();
    }
}
