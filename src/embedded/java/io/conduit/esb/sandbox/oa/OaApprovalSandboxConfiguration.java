package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import jakarta.jms.ConnectionFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * The sandbox OA's approval tasks ({@link OaApprovalController}), its business trips and absences
 * ({@link OaTripController}), and where it publishes the approval tasks' decisions:
 * {@code esb.sandbox.oa.approval-decision-queue} (default {@code OA.APPROVAL.DECISIONS}), see
 * {@link OaApprovalDecisionPublisher}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class OaApprovalSandboxConfiguration {

    @Bean
    public OaApprovalRepository oaApprovalRepository(@Qualifier("esbDataSource") DataSource esbDataSource,
                                                     ObjectMapper objectMapper,
                                                     @Qualifier("sandboxOaFlyway") SandboxSchemaMigration schema) {
        return new OaApprovalRepository(esbDataSource,
                new TransactionTemplate(new DataSourceTransactionManager(esbDataSource)), objectMapper);
    }

    /** Business trips and attendance absences ({@link OaTripController}), in the OA's schema too. */
    @Bean
    public OaTripRepository oaTripRepository(@Qualifier("esbDataSource") DataSource esbDataSource,
                                             @Qualifier("sandboxOaFlyway") SandboxSchemaMigration schema) {
        return new OaTripRepository(esbDataSource,
                new TransactionTemplate(new DataSourceTransactionManager(esbDataSource)));
    }

    @Bean
    public OaApprovalDecisionPublisher oaApprovalDecisionPublisher(
            @Qualifier("esbDataSource") DataSource esbDataSource, ConnectionFactory connectionFactory,
            @Value("${esb.sandbox.oa.approval-decision-queue:OA.APPROVAL.DECISIONS}") String queue,
            @Qualifier("oaApprovalRepository") OaApprovalRepository approvals, ObjectMapper objectMapper,
            @Qualifier("sandboxOaFlyway") SandboxSchemaMigration schema) {
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setPubSubDomain(false);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
        return new OaApprovalDecisionPublisher(esbDataSource, tx, jms, queue, approvals, objectMapper,
                Clock.systemDefaultZone());
    }
}
