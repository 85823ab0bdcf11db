package io.conduit.esb.delivery;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A {@code versioned:<port>} endpoint: producer only; see {@link VersionedComponent}. */
public class VersionedEndpoint extends DefaultEndpoint {

    /** What a delivery of the version the target already has does. */
    public enum SameVersion {
        /** call the port again (it is idempotent; later steps of the route need its answer) */
        DELIVER,
        /** do not call it: the same state was delivered already */
        SKIP
    }

    private final String port;
    private final String ledgerName;
    private final String key;
    private final String version;
    private final String at;
    private final SameVersion sameVersion;
    private final boolean stopWhenSkipped;

    VersionedEndpoint(String uri, VersionedComponent component, String port, String ledgerName, String key,
                      String version, String at, SameVersion sameVersion, boolean stopWhenSkipped) {
        super(uri, component);
        this.port = port;
        this.ledgerName = ledgerName;
        this.key = key;
        this.version = version;
        this.at = at;
        this.sameVersion = sameVersion;
        this.stopWhenSkipped = stopWhenSkipped;
    }

    @Override
    public Producer createProducer() {
        return new VersionedProducer(this, ((VersionedComponent) getComponent()).ledger());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("versioned: endpoints only produce; cannot consume from "
                + getEndpointUri());
    }

    public String getPort() {
        return port;
    }

    public String getLedgerName() {
        return ledgerName;
    }

    String keyExpression() {
        return key;
    }

    String versionExpression() {
        return version;
    }

    String atExpression() {
        return at;
    }

    SameVersion sameVersion() {
        return sameVersion;
    }

    boolean stopWhenSkipped() {
        return stopWhenSkipped;
    }
}
