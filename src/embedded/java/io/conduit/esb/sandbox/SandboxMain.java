package io.conduit.esb.sandbox;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.autoconfigure.jms.JmsAutoConfiguration;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sandbox CRM, ERP and OA as a process of their own, so an ESB without them (the image, the production variant:
 * {@code ESB_SANDBOX_ENABLED=false}) can run against them while the real systems are being connected. The same
 * controllers, fault switches ({@code /sandbox/{crm|erp|oa}/admin/faults}), JMS consumers and producers and schema
 * migrations as inside the embedded ESB, in a small Spring Boot application of their own: web MVC, Jackson, a JMS
 * client of the ESB's Artemis, and a PostgreSQL given by settings, where the sandbox keeps its schemas
 * ({@code sandbox_crm}, {@code erp} with the ERP's login role {@code erp_app}, {@code sandbox_oa}; its connection
 * must be allowed to create schemas and roles). Nothing of the ESB runs in it.
 * <p>
 * Settings: {@code sandbox.yaml} (read instead of application.yaml), every value from the environment:
 * {@code SANDBOX_PORT} (8090), {@code SANDBOX_DB_URL}/{@code _USER}/{@code _PASSWORD}, {@code ARTEMIS_URL}/{@code _USER}/
 * {@code _PASSWORD}, {@code SANDBOX_ESB_URL} (where the CRM posts its webhooks) and {@code ESB_INTAKE_CRM_SECRET}
 * (what it signs them with). The ESB then reaches it as it reaches real systems: {@code CRM_BASE_URL} and
 * {@code OA_BASE_URL} at this process's {@code /sandbox/crm/api} and {@code /sandbox/oa/api}, {@code ERP_DB_URL} at
 * the same database as {@code erp_app}.
 * <p>
 * Started from the embedded build's jar ({@code ops/sandbox.sh}: {@code java -cp conduit-esb.jar
 * -Dloader.main=io.conduit.esb.sandbox.SandboxMain org.springframework.boot.loader.launch.PropertiesLauncher}) or as
 * the image {@code conduit-sandbox} (pom.xml, profile {@code image}). Deliberately not a {@code @Configuration}: the
 * ESB's own component scan covers this package and must not pick it up.
 */
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, JacksonAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class, ServletWebServerFactoryAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, ArtemisAutoConfiguration.class,
        JmsAutoConfiguration.class})
// the sandbox's tests keep applications of their own beside it (only on the test classpath)
@ComponentScan(basePackageClasses = SandboxMain.class, excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = "io\\.conduit\\.esb\\.sandbox\\.([a-z]+\\.)?[A-Za-z]+(Test|IT)\\b.*"))
@EnableConfigurationProperties(DataSourceProperties.class)
public class SandboxMain {

    /** The settings file, classpath:sandbox.yaml (spring.config.name). */
    public static final String CONFIG_NAME = "sandbox";

    public static void main(String[] args) {
        run(args);
    }

    /** Starts the sandbox service; {@code args} as Spring Boot's command line ({@code --server.port=...}). */
    public static ConfigurableApplicationContext run(String... args) {
        SpringApplication application = new SpringApplication(SandboxMain.class);
        application.setWebApplicationType(WebApplicationType.SERVLET);
        // its own settings file, not the ESB's application.yaml (which the jar and the image also carry); and never
        // the embedded brokers, whose starter the embedded jar registers for every Spring Boot application in it.
        // As command-line arguments: they outrank the environment (the caller's arguments come after them).
        List<String> arguments = new ArrayList<>(List.of("--spring.config.name=" + CONFIG_NAME,
                "--esb.embedded.enabled=false"));
        arguments.addAll(Arrays.asList(args));
        return application.run(arguments.toArray(String[]::new));
    }

    /**
     * The sandbox's database. Named as the sandbox's beans know it inside the ESB, where it is the ESB's own
     * connection ({@code esbDataSource}); here it is only the sandbox's.
     */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource esbDataSource(DataSourceProperties properties) {
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }
}
