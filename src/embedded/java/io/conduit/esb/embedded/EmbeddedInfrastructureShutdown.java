package io.conduit.esb.embedded;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Stops the embedded Kafka and PostgreSQL when the application context closes, after every bean that talks to
 * them is gone: bean {@value #BEAN} is destroyed last because every {@link DataSource} (connection pools, whose
 * close would otherwise wait on a server that has already stopped) is declared to depend on it. Camel's consumers
 * and producers stop earlier, in the lifecycle phase, so they have committed their offsets by then.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "esb.embedded.enabled", havingValue = "true", matchIfMissing = true)
public class EmbeddedInfrastructureShutdown {

    static final String BEAN = "embeddedInfrastructureStopper";

    @Bean(BEAN)
    DisposableBean embeddedInfrastructureStopper() {
        EmbeddedInfrastructure.contextOpened();
        return () -> {
            try {
                EmbeddedInfrastructure.stopIfRunning();
            } finally {
                EmbeddedInfrastructure.contextClosed();
            }
        };
    }

    @Bean
    static BeanFactoryPostProcessor embeddedInfrastructureDependents() {
        return beanFactory -> dependOnInfrastructure(beanFactory,
                beanFactory.getBeanNamesForType(DataSource.class, true, false));
    }

    private static void dependOnInfrastructure(ConfigurableListableBeanFactory beanFactory, String[] names) {
        for (String name : names) {
            if (!beanFactory.containsBeanDefinition(name)) {
                continue;
            }
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            Set<String> dependsOn = new LinkedHashSet<>();
            if (definition.getDependsOn() != null) {
                dependsOn.addAll(Arrays.asList(definition.getDependsOn()));
            }
            dependsOn.add(BEAN);
            definition.setDependsOn(dependsOn.toArray(String[]::new));
        }
    }
}
