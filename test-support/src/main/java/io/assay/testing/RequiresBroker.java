package io.assay.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that needs {@link TestBroker}. It runs on the embedded broker always, and on
 * the container broker only where a Docker engine runs; otherwise it is skipped with the reason.
 * Put it before {@code @QuarkusTest} so the condition is checked before Quarkus starts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresBroker.Condition.class)
public @interface RequiresBroker {

    /** Disables the class when the chosen broker cannot run here. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (TestBroker.available()) {
                return ConditionEvaluationResult.enabled(
                        "broker: " + System.getProperty(TestBroker.MODE_PROPERTY, "embedded"));
            }
            return ConditionEvaluationResult.disabled(
                    "no Docker engine for -D" + TestBroker.MODE_PROPERTY + "=container");
        }
    }
}
