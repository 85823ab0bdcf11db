package io.conduit.esb.delivery;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code versioned:} Camel component: a call of a port that never takes a target back in time. Written in a
 * route as
 * <pre>
 * - to:
 *     id: order-handoff.update-crm
 *     uri: versioned:crm.update-order-status
 *     parameters:
 *       key: "${exchangeProperty.orderId}"
 *       version: "${jsonpath($.revision)}"
 *       at: "${jsonpath($.acknowledgedAt)}"
 *       sameVersion: skip
 * </pre>
 * it calls {@code direct:crm.update-order-status} only if the target has not been given a newer version of the same
 * record (see {@link VersionedProducer}). {@code key}, {@code version} and {@code at} are Simple expressions;
 * {@code ledger} (default: the port's name) names the records' kind, so two flows writing the same record share
 * it; {@code sameVersion} ({@code deliver}, the default, or {@code skip}) says what a delivery of the version the
 * target already has does; {@code whenSkipped} ({@code stop}, the default, or {@code continue}) whether the route goes
 * on after a delivery that was not sent (it can tell by exchange property {@code EsbDeliveryOutcome}). Registered as
 * the Spring bean {@code versioned}.
 */
@org.springframework.stereotype.Component(VersionedComponent.SCHEME)
public class VersionedComponent extends DefaultComponent {

    public static final String SCHEME = "versioned";

    private final DeliveryLedger ledger;

    public VersionedComponent(DeliveryLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String key = getAndRemoveParameter(parameters, "key", String.class);
        String version = getAndRemoveParameter(parameters, "version", String.class);
        String at = getAndRemoveParameter(parameters, "at", String.class);
        String ledgerName = getAndRemoveParameter(parameters, "ledger", String.class, remaining);
        String same = getAndRemoveParameter(parameters, "sameVersion", String.class, "deliver");
        String whenSkipped = getAndRemoveParameter(parameters, "whenSkipped", String.class, "stop");
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("versioned: needs the port to call, e.g. versioned:crm.update-case");
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(uri + ": parameter key (the record's business key) is required");
        }
        if ((version == null || version.isBlank()) && (at == null || at.isBlank())) {
            throw new IllegalArgumentException(uri + ": parameter version, at or both is required");
        }
        VersionedEndpoint.SameVersion sameVersion = switch (same.trim().toLowerCase(Locale.ROOT)) {
            case "deliver" -> VersionedEndpoint.SameVersion.DELIVER;
            case "skip" -> VersionedEndpoint.SameVersion.SKIP;
            default -> throw new IllegalArgumentException(uri + ": sameVersion is deliver or skip, not '" + same + "'");
        };
        boolean stopWhenSkipped = switch (whenSkipped.trim().toLowerCase(Locale.ROOT)) {
            case "stop" -> true;
            case "continue" -> false;
            default -> throw new IllegalArgumentException(uri + ": whenSkipped is stop or continue, not '" + whenSkipped
                    + "'");
        };
        if (ledgerName.length() > 64) {
            throw new IllegalArgumentException(uri + ": a ledger name has at most 64 characters");
        }
        return new VersionedEndpoint(uri, this, remaining.trim(), ledgerName.trim(), key, blankToNull(version),
                blankToNull(at), sameVersion, stopWhenSkipped);
    }

    DeliveryLedger ledger() {
        return ledger;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
