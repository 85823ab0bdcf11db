package io.conduit.esb;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Conduit ESB: Camel routes between the company's CRM, ERP and OA systems through canonical events. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConduitApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConduitApplication.class, args);
    }
}
