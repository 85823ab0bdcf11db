package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.annotation.JmsListener;

import java.util.Objects;

/**
 * The sandbox OA's consumer of "onboarding complete" notices from the ESB (transacted: a notice that cannot be
 * stored is rolled back and redelivered). The notice names the HR event ({@code hrEventId}) and the employee
 * ({@code employeeNo}) it answers.
 */
public class OnboardingNoticeListener {

    private static final Logger LOG = LoggerFactory.getLogger(OnboardingNoticeListener.class);

    private final OnboardingNoticeRepository notices;
    private final ObjectMapper objectMapper;

    public OnboardingNoticeListener(OnboardingNoticeRepository notices, ObjectMapper objectMapper) {
        this.notices = Objects.requireNonNull(notices, "notices");
        this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
    }

    @JmsListener(id = "sandboxOaOnboardingNoticeListener",
            destination = "${esb.sandbox.oa.onboarding-done-queue:OA.HR.ONBOARDING.DONE}",
            containerFactory = OaSandboxConfiguration.LISTENER_CONTAINER_FACTORY)
    public void onMessage(Message message) throws JMSException, com.fasterxml.jackson.core.JsonProcessingException {
        if (!(message instanceof TextMessage text)) {
            throw new IllegalArgumentException("onboarding notice must be a text message");
        }
        JsonNode notice = objectMapper.readTree(text.getText());
        String eventId = notice.path("hrEventId").asText(null);
        String employeeNo = notice.path("employeeNo").asText(null);
        if (eventId == null || employeeNo == null) {
            throw new IllegalArgumentException("onboarding notice without hrEventId or employeeNo");
        }
        if (notices.insert(eventId, employeeNo, text.getText(), message.getJMSMessageID())) {
            LOG.info("Sandbox OA received onboarding notice for HR event {} (employee {})", eventId, employeeNo);
        }
    }
}
