package io.conduit.esb.realsystems;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class on the real systems only when they are there (skipped with the reason otherwise), and fails it
 * when they are required ({@code CONDUIT_REAL_SYSTEMS=required}, CI) and are not. An extension rather than
 * {@code @EnabledIf} because it is inherited by every subclass of {@link RealSystemsIntegrationTest}, and it is
 * evaluated before Spring starts the context (which would need the systems' settings).
 */
public class RealSystemsCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return RealSystems.available()
                ? ConditionEvaluationResult.enabled("real systems described in " + RealSystems.propertiesFile())
                : ConditionEvaluationResult.disabled("no real Tryton and Redmine: " + RealSystems.propertiesFile()
                        + " is missing (start them with ops/real-systems/start.sh)");
    }
}
