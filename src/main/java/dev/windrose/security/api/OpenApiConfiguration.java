package dev.windrose.security.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document (/v3/api-docs): every operation needs a bearer API token unless it says otherwise. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER_SCHEME = "apiToken";

    @Bean
    OpenAPI windroseOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Windrose API").version("v1")
                        .description("Storage console REST API. Authenticate with 'Authorization: Bearer wr_…'; "
                                + "get a token in the console or from POST /api/v1/auth/tokens. "
                                + "Errors are RFC 9457 problem details."))
                .components(new Components().addSecuritySchemes(BEARER_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("wr_ API token")
                        .description("An API token created in the console or with POST /api/v1/auth/tokens.")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
    }
}
