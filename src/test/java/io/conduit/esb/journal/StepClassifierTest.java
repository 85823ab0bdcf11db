package io.conduit.esb.journal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StepClassifierTest {

    private static JournalProperties.StepSetting setting(Hop hop, String target, String targetId, boolean skip) {
        JournalProperties.StepSetting s = new JournalProperties.StepSetting();
        s.setHop(hop);
        s.setTarget(target);
        s.setTargetId(targetId);
        s.setSkip(skip);
        return s;
    }

    private final StepClassifier classifier = new StepClassifier(List.of(
            new JournalProperties.StepRule("json-validator", null, null, Hop.VALIDATED, null),
            new JournalProperties.StepRule("mapping", null, null, Hop.MAPPED, null),
            new JournalProperties.StepRule(null, "http://crm.example/api", null, Hop.DELIVERED, "crm"),
            new JournalProperties.StepRule(null, null, ".*\\.notify-.*", Hop.DELIVERED, "oa"),
            new JournalProperties.StepRule("kafka", null, null, Hop.PUBLISHED, null)),
            Map.of("flow.write-erp", setting(Hop.DELIVERED, "erp", "${exchangeProperty.erp[so_no]}", false),
                    "flow.publish-internal", setting(null, null, null, true),
                    "flow.publish-audit", setting(null, "audit", null, false)));

    @Test
    void classifiesByEndpointScheme() {
        assertThat(classifier.classify("a.validate", "json-validator:classpath:x.json").hop()).isEqualTo(Hop.VALIDATED);
        assertThat(classifier.classify(null, "mapping:crm/x.jsonata").hop()).isEqualTo(Hop.MAPPED);
        StepClassifier.Classification kafka = classifier.classify("a.publish", "kafka:orders");
        assertThat(kafka.hop()).isEqualTo(Hop.PUBLISHED);
        assertThat(kafka.target()).isNull();
    }

    @Test
    void classifiesByUriPrefixAndStepPattern() {
        StepClassifier.Classification crm = classifier.classify("x.update", "http://crm.example/api/opportunities/1");
        assertThat(crm.hop()).isEqualTo(Hop.DELIVERED);
        assertThat(crm.target()).isEqualTo("crm");
        assertThat(classifier.classify("flow.notify-oa", null).target()).isEqualTo("oa");
    }

    @Test
    void stepSettingsWinOverRules() {
        StepClassifier.Classification erp = classifier.classify("flow.write-erp", null);
        assertThat(erp).isEqualTo(new StepClassifier.Classification(Hop.DELIVERED, "erp", "${exchangeProperty.erp[so_no]}"));
        assertThat(classifier.classify("flow.publish-internal", "kafka:internal")).isNull();
        // a setting without hop keeps the rule's hop and sets the target
        assertThat(classifier.classify("flow.publish-audit", "kafka:audit"))
                .isEqualTo(new StepClassifier.Classification(Hop.PUBLISHED, "audit", null));
    }

    @Test
    void unmatchedStepsRecordNothing() {
        assertThat(classifier.classify("flow.find", "sql:select 1")).isNull();
        assertThat(classifier.classify("flow.choice", null)).isNull();
        assertThat(classifier.classify(null, null)).isNull();
    }
}
