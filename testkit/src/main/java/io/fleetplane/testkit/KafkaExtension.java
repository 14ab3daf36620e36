package io.fleetplane.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands a running {@link KafkaBroker} to any test, constructor or lifecycle
 * method that declares one as a parameter:
 *
 * <pre>{@code
 * @ExtendWith(KafkaExtension.class)
 * class RoundTripIT {
 *   @Test void roundTrip(KafkaBroker kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * One broker serves the whole test run (it starts in seconds, not milliseconds) and stops when the
 * run ends; tests keep apart by using their own topic names.
 */
public final class KafkaExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return broker(context);
  }

  /** The run's broker, started on first use; the root store closes it when the run ends. */
  public static KafkaBroker broker(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(KafkaBroker.class, k -> KafkaBrokers.start(), KafkaBroker.class);
  }
}
