package io.conduit.esb.systems;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.Map;

/**
 * Registers, for every system in {@code esb.systems} that declares a database ({@code datasource.url}), the beans
 * its adapter's SQL steps use: {@code <name>DataSource} (a Hikari pool named after the system, settings from
 * {@code esb.systems.<name>.datasource.*} and {@code .hikari.*}), {@code <name>TransactionManager} and
 * {@code <name>Transaction} (for {@code transacted}). A system reached over HTTP or JMS declares none and gets none;
 * nothing here knows which systems exist.
 */
public class SystemDataSources implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        Binder binder = Binder.get(environment);
        Map<String, SystemDeclaration> systems = binder.bind("esb.systems",
                Bindable.mapOf(String.class, SystemDeclaration.class)).orElse(Map.of());
        for (String name : systems.keySet()) {
            if (!binder.bind("esb.systems." + name + ".datasource.url", String.class).isBound()) {
                continue;
            }
            String prefix = "esb.systems." + name + ".datasource";
            AbstractBeanDefinition pool = BeanDefinitionBuilder
                    .genericBeanDefinition(HikariDataSource.class, () -> pool(binder, name, prefix))
                    .setDestroyMethodName("close")
                    .getBeanDefinition();
            registry.registerBeanDefinition(name + "DataSource", pool);
            AbstractBeanDefinition manager = BeanDefinitionBuilder
                    .genericBeanDefinition(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(
                            ((ConfigurableListableBeanFactory) registry).getBean(name + "DataSource", DataSource.class)))
                    .addDependsOn(name + "DataSource")
                    .getBeanDefinition();
            registry.registerBeanDefinition(name + "TransactionManager", manager);
            AbstractBeanDefinition policy = BeanDefinitionBuilder
                    .genericBeanDefinition(SpringTransactionPolicy.class, () -> {
                        SpringTransactionPolicy transaction = new SpringTransactionPolicy(new TransactionTemplate(
                                ((ConfigurableListableBeanFactory) registry).getBean(name + "TransactionManager",
                                        PlatformTransactionManager.class)));
                        transaction.setPropagationBehaviorName("PROPAGATION_REQUIRED");
                        return transaction;
                    })
                    .getBeanDefinition();
            registry.registerBeanDefinition(name + "Transaction", policy);
        }
    }

    private static HikariDataSource pool(Binder binder, String name, String prefix) {
        DataSourceProperties properties = binder.bind(prefix, DataSourceProperties.class).get();
        HikariDataSource pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        binder.bind(prefix + ".hikari", Bindable.ofInstance(pool));
        pool.setPoolName(name);
        return pool;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }
}
