package io.conduit.esb.sandbox.crm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers the sandbox CRM's "case created" webhook to {@code esb.sandbox.crm.case-webhook-url}, asynchronously and
 * retried with exponential backoff like {@link WebhookDispatcher}. A sibling rather than a reuse: that dispatcher is
 * bound to the opportunity webhook URL and to {@link WebhookLog}, whose tables reference opportunities; every attempt
 * here is recorded in {@code sandbox_crm.case_webhook_delivery}. An empty URL switches the webhook off (the attempt is
 * recorded with its reason, nothing is sent or retried), as an empty {@code esb.sandbox.crm.webhook-url} does for
 * opportunities.
 */
public class CaseWebhookDispatcher implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(CaseWebhookDispatcher.class);

    private final CrmCaseProperties properties;
    private final SupportCaseRepository cases;
    private final RestClient restClient;
    private final ScheduledExecutorService scheduler;

    public CaseWebhookDispatcher(CrmCaseProperties properties, SupportCaseRepository cases) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.cases = Objects.requireNonNull(cases, "cases");
        HttpClient httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(properties.webhookConnectTimeoutMs())).build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(Duration.ofMillis(properties.webhookReadTimeoutMs()));
        this.restClient = RestClient.builder().requestFactory(requestFactory).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sandbox-crm-case-webhook");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts delivering the event ({@code payload} is the JSON body) in the background. */
    public void dispatch(String eventId, String caseNumber, String payload) {
        scheduler.execute(() -> attempt(eventId, caseNumber, payload, 1));
    }

    private void attempt(String eventId, String caseNumber, String payload, int attempt) {
        String url = properties.caseWebhookUrl();
        Integer status = null;
        String error = null;
        if (url == null || url.isBlank()) {
            error = "esb.sandbox.crm.case-webhook-url is not set";
        } else {
            try {
                byte[] body = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                status = restClient.post().uri(url).contentType(MediaType.APPLICATION_JSON)
                        .header(WebhookDispatcher.EVENT_ID_HEADER, eventId)
                        .headers(h -> WebhookSignature.sign(h, properties.webhookSecret(), body)).body(body)
                        .exchange((request, response) -> response.getStatusCode().value());
                if (status < 200 || status >= 300) {
                    error = "HTTP " + status;
                }
            } catch (RuntimeException e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        try {
            cases.recordDelivery(eventId, caseNumber, status, error == null ? null
                    : error.substring(0, Math.min(error.length(), 1000)));
        } catch (RuntimeException e) {
            LOG.warn("Could not record case webhook attempt of {}: {}", eventId, e.getMessage());
        }
        if (error == null) {
            LOG.info("Case webhook {} for {} delivered (attempt {}, HTTP {})", eventId, caseNumber, attempt, status);
        } else if (url != null && !url.isBlank() && attempt < properties.webhookAttempts()) {
            long delay = Math.min(60_000, Math.max(0, properties.webhookBackoffMs()) << Math.min(attempt - 1, 16));
            LOG.warn("Case webhook {} for {} failed (attempt {}: {}), retrying in {} ms", eventId, caseNumber, attempt,
                    error, delay);
            try {
                scheduler.schedule(() -> attempt(eventId, caseNumber, payload, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.warn("Case webhook {} retry dropped: the sandbox CRM is stopping", eventId);
            }
        } else if (url == null || url.isBlank()) {
            LOG.debug("Case webhook {} for {} not sent: case webhooks are off "
                    + "(esb.sandbox.crm.case-webhook-url is empty)", eventId, caseNumber);
        } else {
            LOG.warn("Case webhook {} for {} given up after attempt {}: {}", eventId, caseNumber, attempt, error);
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
