package io.conduit.esb.mapping;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

import java.util.Arrays;
import java.util.Locale;

/**
 * A {@code mapping:<name>[?output=json|object]} endpoint: one mapping file, producer only.
 * {@code output=json} (default) puts the result on the body as JSON text with Content-Type
 * {@code application/json}; {@code output=object} puts the Java Map/List itself on the body.
 */
public class MappingEndpoint extends DefaultEndpoint {

    /** What the endpoint puts on the body. */
    public enum Output {
        JSON, OBJECT;

        public String option() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Output of(String option) {
            return Arrays.stream(values()).filter(o -> o.option().equalsIgnoreCase(option.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "Unknown mapping output '" + option + "'; expected json or object"));
        }
    }

    private final String mappingName;
    private final Output output;

    MappingEndpoint(String uri, MappingComponent component, String mappingName, Output output) {
        super(uri, component);
        this.mappingName = mappingName;
        this.output = output;
    }

    @Override
    public Producer createProducer() {
        return new MappingProducer(this, ((MappingComponent) getComponent()).engine());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mapping: endpoints only produce; cannot consume from " + getEndpointUri());
    }

    public String getMappingName() {
        return mappingName;
    }

    public Output getOutput() {
        return output;
    }
}
