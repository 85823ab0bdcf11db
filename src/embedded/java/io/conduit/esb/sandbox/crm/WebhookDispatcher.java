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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers the sandbox CRM's webhook events the way SaaS CRMs do: asynchronously (callers hand events over only
 * after their database transaction committed), as a JSON POST to {@code esb.sandbox.crm.webhook-url}, retried on a
 * connection error or a non-2xx answer up to {@code webhook-attempts} times with exponential backoff starting at
 * {@code webhook-backoff-ms}. Every attempt is recorded in {@link WebhookLog}.
 * <p>
 * Like many real CRMs, it does not guarantee order (a newer revision's event may overtake a retried older one), and
 * retries still pending are dropped when the application stops.
 */
public class WebhookDispatcher implements DisposableBean {

    /** Header carrying the event id, as many webhook senders add one. */
    public static final String EVENT_ID_HEADER = "X-Webhook-Event-Id";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final long MAX_BACKOFF_MS = 60_000;
    private static final int MAX_ERROR_LENGTH = 1000;

    private final CrmSandboxProperties properties;
    private final WebhookLog log;
    private final RestClient restClient;
    private final ScheduledExecutorService scheduler;

    public WebhookDispatcher(CrmSandboxProperties properties, WebhookLog log) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.log = Objects.requireNonNull(log, "log");
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(properties.webhookConnectTimeoutMs()))
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(Duration.ofMillis(properties.webhookReadTimeoutMs()));
        this.restClient = RestClient.builder().requestFactory(requestFactory).build();
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "sandbox-crm-webhook-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts delivering {@code event} in the background. */
    public void dispatch(WebhookEvent event, boolean resend) {
        Objects.requireNonNull(event, "event");
        scheduler.execute(() -> attempt(event, resend, 1));
    }

    private void attempt(WebhookEvent event, boolean resend, int attemptInRun) {
        Integer status = null;
        String error = null;
        String url = properties.webhookUrl();
        if (url == null || url.isBlank()) {
            error = "esb.sandbox.crm.webhook-url is not set";
        } else {
            try {
                byte[] body = event.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                status = restClient.post()
                        .uri(url)
                        .contentType(MediaType.APPLICATION_JSON)
                        .header(EVENT_ID_HEADER, event.eventId())
                        .headers(h -> WebhookSignature.sign(h, properties.webhookSecret(), body))
                        .body(body)
                        .exchange((request, response) -> response.getStatusCode().value());
                if (status < 200 || status >= 300) {
                    error = "HTTP " + status;
                }
            } catch (RuntimeException e) {
                error = truncate(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        boolean delivered = error == null;
        int recorded = record(event, resend, status, error);
        if (delivered) {
            LOG.info("Webhook {} for {} r{} delivered (attempt {}, HTTP {})", event.eventId(), event.opportunityId(),
                    event.revision(), recorded, status);
        } else if (url != null && !url.isBlank() && attemptInRun < properties.webhookAttempts()) {
            long delay = backoff(attemptInRun);
            LOG.warn("Webhook {} for {} failed (attempt {}: {}), retrying in {} ms", event.eventId(),
                    event.opportunityId(), recorded, error, delay);
            try {
                scheduler.schedule(() -> attempt(event, resend, attemptInRun + 1), delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.warn("Webhook {} retry dropped: the sandbox CRM is stopping", event.eventId());
            }
        } else if (url == null || url.isBlank()) {
            LOG.debug("Webhook {} for {} not sent: webhooks are off (esb.sandbox.crm.webhook-url is empty)",
                    event.eventId(), event.opportunityId());
        } else {
            LOG.warn("Webhook {} for {} given up after attempt {}: {}", event.eventId(), event.opportunityId(),
                    recorded, error);
        }
    }

    private int record(WebhookEvent event, boolean resend, Integer status, String error) {
        try {
            return log.recordAttempt(event, resend, status, error);
        } catch (RuntimeException e) {
            LOG.warn("Could not record webhook attempt of {}: {}", event.eventId(), e.getMessage());
            return -1;
        }
    }

    long backoff(int failedAttempts) {
        long base = Math.max(0, properties.webhookBackoffMs());
        return Math.min(MAX_BACKOFF_MS, base << Math.min(failedAttempts - 1, 16));
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
