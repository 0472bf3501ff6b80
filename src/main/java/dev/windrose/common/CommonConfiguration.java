package dev.windrose.common;

import com.fasterxml.jackson.annotation.Nulls;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CommonConfiguration {

    /** One clock for the whole application, so tests can pin time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Makes the data directory private before any bean (the database first) writes into it: a bean
     * factory post-processor runs before every ordinary bean is created.
     */
    @Bean
    static BeanFactoryPostProcessor privateDataDirectory(Environment environment) {
        Path directory = Path.of(environment.getProperty("windrose.data-dir", "data"));
        return beanFactory -> DataDirectory.makePrivate(directory);
    }

    /** Problem+json for every answer under /api, before Spring Security and on the error dispatch. */
    @Bean
    FilterRegistrationBean<ApiProblemFilter> apiProblemFilter(
            @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings,
            JsonMapper json) {
        FilterRegistrationBean<ApiProblemFilter> registration = new FilterRegistrationBean<>(
                new ApiProblemFilter(mappings, json));
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Tomcat's refusals before any servlet (oversized headers, undecodable paths) as problem+json too. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /**
     * A {@code null} inside a JSON list ({@code "diskIds":[null]}) is refused as the field's error, like any
     * other wrong value: no request of this API means anything by it.
     */
    @Bean
    JsonMapperBuilderCustomizer nullsInCollectionsAreInvalid() {
        return builder -> builder.changeDefaultNullHandling(handling -> handling.withContentNulls(Nulls.FAIL));
    }
}
