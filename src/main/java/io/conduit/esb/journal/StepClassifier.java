package io.conduit.esb.journal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides which hop a route step records, from {@code esb.journal.steps} (per node id, first) and then
 * {@code esb.journal.rules} (first match wins). Runs once per step when the route is built, never per message.
 */
public final class StepClassifier {

    /** What a step records: the hop, a fixed target name (or null: the endpoint sent to) and a target id expression. */
    public record Classification(Hop hop, String target, String targetIdExpression) {
    }

    private record Rule(String scheme, String uriPrefix, Pattern step, Hop hop, String target) {
    }

    private final List<Rule> rules;
    private final Map<String, JournalProperties.StepSetting> steps;

    public StepClassifier(List<JournalProperties.StepRule> rules, Map<String, JournalProperties.StepSetting> steps) {
        this.rules = rules.stream().filter(r -> r.getHop() != null)
                .map(r -> new Rule(blankToNull(r.getScheme()), blankToNull(r.getUriPrefix()),
                        r.getStep() == null || r.getStep().isBlank() ? null : Pattern.compile(r.getStep()), r.getHop(),
                        blankToNull(r.getTarget())))
                .toList();
        this.steps = steps;
    }

    /**
     * @param stepId the node id (null if the step has none)
     * @param uri    the endpoint URI of a to/toD step with property placeholders resolved, null for other steps
     * @return what the step records, or null for nothing
     */
    public Classification classify(String stepId, String uri) {
        JournalProperties.StepSetting setting = stepId == null ? null : steps.get(stepId);
        if (setting != null && setting.isSkip()) {
            return null;
        }
        Classification byRule = null;
        String scheme = schemeOf(uri);
        for (Rule rule : rules) {
            if (matches(rule, stepId, uri, scheme)) {
                byRule = new Classification(rule.hop(), rule.target(), null);
                break;
            }
        }
        if (setting == null) {
            return byRule;
        }
        Hop hop = setting.getHop() != null ? setting.getHop() : byRule == null ? null : byRule.hop();
        if (hop == null) {
            return null;
        }
        String target = setting.getTarget() != null ? setting.getTarget() : byRule == null ? null : byRule.target();
        return new Classification(hop, target, blankToNull(setting.getTargetId()));
    }

    private static boolean matches(Rule rule, String stepId, String uri, String scheme) {
        if (rule.scheme() == null && rule.uriPrefix() == null && rule.step() == null) {
            return false;
        }
        if (rule.scheme() != null && !rule.scheme().equals(scheme)) {
            return false;
        }
        if (rule.uriPrefix() != null && (uri == null || !uri.startsWith(rule.uriPrefix()))) {
            return false;
        }
        return rule.step() == null || (stepId != null && rule.step().matcher(stepId).matches());
    }

    /** The scheme of an endpoint URI ({@code kafka} of {@code kafka:orders}), or null. */
    static String schemeOf(String uri) {
        if (uri == null) {
            return null;
        }
        int colon = uri.indexOf(':');
        return colon <= 0 ? null : uri.substring(0, colon);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
