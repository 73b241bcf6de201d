package io.vhba.junit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables a fixture class (a test that is meant to fail) only when another test runs it through
 * EngineTestKit with {@value #PARAMETER}=true; an IDE's "run everything" skips it.
 */
final class OnlyUnderTestKit implements ExecutionCondition {
    static final String PARAMETER = "io.vhba.junit.fixtures";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(PARAMETER).map(Boolean::parseBoolean).orElse(false)
                ? ConditionEvaluationResult.enabled("run by EngineTestKit")
                : ConditionEvaluationResult.disabled("a fixture of another test: it runs only under EngineTestKit");
    }
}
