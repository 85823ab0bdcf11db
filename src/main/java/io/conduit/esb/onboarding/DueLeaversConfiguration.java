package io.conduit.esb.onboarding;

import io.conduit.esb.cluster.Leadership;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Leadership of the due-leavers check (route {@code employee-onboarding.due-leavers}): one ESB instance looks for
 * leavers whose end date has come and dispatches them. Its read of the SCHEDULED events claims nothing, so two
 * instances checking at once would dispatch a leave twice (harmless downstream, each target's delivery is versioned,
 * but twice the calls): bean {@code dueLeaversLeader}, a {@code ClusteredRoutePolicy} on the ESB's cluster service.
 */
@Configuration(proxyBeanMethods = false)
public class DueLeaversConfiguration {

    @Bean
    public ClusteredRoutePolicy dueLeaversLeader(Leadership leadership,
                                                 @Value("${esb.onboarding.due-leavers-namespace}") String namespace)
            throws Exception {
        return leadership.policy(namespace);
    }
}
