package dev.windrose;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.lumo.Lumo;
import com.vaadin.flow.component.dependency.StyleSheet;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Windrose console: one Spring Boot application holding every feature module. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Push
@StyleSheet(Lumo.STYLESHEET)
public class WindroseApplication implements AppShellConfigurator {

    public static void main(String[] args) {
        SpringApplication.run(WindroseApplication.class, args);
    }

    @Override
    public void configurePage(AppShellSettings settings) {
        settings.setPageTitle("Windrose");
        // Without an icon of its own, every browser asks for /favicon.ico and logs the 404 as an error.
        // From the root (with the context path): a relative link would resolve against /subsystems/4 and 404.
        settings.addFavIcon("icon", settings.getRequest().getContextPath() + "/icons/windrose.svg", "any");
    }
}
