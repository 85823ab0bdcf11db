package io.conduit.esb.mapping;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.support.DefaultProducer;

import java.io.InputStream;
import java.io.Reader;

/**
 * Replaces the body with the mapping's result. The body is taken as it is (JSON text, bytes, a stream, a
 * JsonNode, Maps/Lists or a record); a stream is read fully first, and a cached stream is reset so an error
 * handler can still read the original payload. The mapping is compiled when the producer starts, so a missing or
 * broken mapping stops the route from starting.
 */
final class MappingProducer extends DefaultProducer {

    private final MappingEngine engine;
    private final String mappingName;
    private final MappingEndpoint.Output output;

    MappingProducer(MappingEndpoint endpoint, MappingEngine engine) {
        super(endpoint);
        this.engine = engine;
        this.mappingName = endpoint.getMappingName();
        this.output = endpoint.getOutput();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        engine.prepare(mappingName);
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Object input = message.getBody();
        if (input instanceof InputStream || input instanceof Reader) {
            input = message.getBody(byte[].class);
            if (message.getBody() instanceof StreamCache cache) {
                cache.reset();
            }
        }
        if (output == MappingEndpoint.Output.JSON) {
            message.setBody(engine.mapToJson(mappingName, input));
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        } else {
            message.setBody(engine.map(mappingName, input));
        }
    }
}
