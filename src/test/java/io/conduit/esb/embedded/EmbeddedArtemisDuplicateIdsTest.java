package io.conduit.esb.embedded;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded broker keeps an auto-created queue that is empty and has no consumer, so its address keeps the duplicate
 * ids of the messages sent to it: a message resent with the same id after its queue was drained and left alone is
 * dropped, not delivered a second time (the OA adapter's resend after a crash, adapters/oa/sandbox/README.md). With
 * Artemis's default (auto-delete) the reaper deleted the address and its ids, and the resend was delivered.
 */
class EmbeddedArtemisDuplicateIdsTest {

    private EmbeddedActiveMQ broker;

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void aResendWithTheSameDuplicateIdAfterTheQueueWasDrainedAndLeftAloneIsDropped(@TempDir Path dir) throws Exception {
        Configuration config = new ConfigurationImpl().setName("dup-ids").setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                // the reaper of empty queues and addresses, every 50 ms instead of every 30 s
                .setAddressQueueScanPeriod(50)
                .addAcceptorConfiguration("in-vm", "vm://0");
        EmbeddedArtemisConfiguration.applyConduitSettings(config);
        broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();

        try (ServerLocator locator = ActiveMQClient.createServerLocator("vm://0");
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession()) {
            session.start();
            String queue = "OA.TASKS.TEST";
            session.createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST).setAutoCreated(true)
                    .setAutoCreateAddress(true).setDurable(true));
            send(session, queue, "complaint-task-C1", "first");
            try (ClientConsumer consumer = session.createConsumer(queue)) {
                ClientMessage taken = consumer.receive(5000);
                assertThat(taken.getBodyBuffer().readString()).isEqualTo("first");
                taken.acknowledge();
            }
            // the queue empty and nobody listening, through many runs of the reaper: it stays
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> broker.getActiveMQServer().locateQueue(queue) != null);

            send(session, queue, "complaint-task-C1", "resent");
            try (ClientConsumer consumer = session.createConsumer(queue)) {
                assertThat(consumer.receive(500)).as("the resend with the same duplicate id").isNull();
            }
        }
    }

    private static void send(ClientSession session, String queue, String duplicateId, String text) throws Exception {
        try (ClientProducer producer = session.createProducer(queue)) {
            ClientMessage message = session.createMessage(true);
            message.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID.toString(), duplicateId);
            message.getBodyBuffer().writeString(text);
            producer.send(message);
        }
    }
}
