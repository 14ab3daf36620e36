package io.fleetplane.testkit;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.testcontainers.DockerClientFactory;

/**
 * Starts the broker a test run asked for: the in-JVM KRaft broker by default, or Testcontainers'
 * Kafka with {@code -Dfleet.kafka=testcontainers} (which then needs a Docker engine, and says so if
 * there is none rather than quietly testing something else).
 */
public final class KafkaBrokers {

  private KafkaBrokers() {}

  public static final String PROPERTY = "fleet.kafka";

  /** The kinds of broker a run can ask for. */
  public enum Kind {
    IN_JVM,
    TESTCONTAINERS
  }

  public static KafkaBroker start() {
    Kind kind = choose(System.getProperty(PROPERTY), KafkaBrokers::dockerAvailable);
    long t0 = System.nanoTime();
    KafkaBroker broker = kind == Kind.TESTCONTAINERS ? ContainerKafka.start() : InJvmKafka.start();
    System.out.printf(
        "[testkit] %s at %s, started in %d ms%n",
        broker.description(), broker.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
    return broker;
  }

  /** The choice, apart from starting anything, so that it can be tested. */
  static Kind choose(String property, BooleanSupplier dockerAvailable) {
    String p = property == null ? "" : property.trim().toLowerCase(Locale.ROOT);
    switch (p) {
      case "":
      case "in-jvm":
      case "embedded":
        return Kind.IN_JVM;
      case "testcontainers":
        if (!dockerAvailable.getAsBoolean()) {
          throw new IllegalStateException(
              "-D"
                  + PROPERTY
                  + "=testcontainers needs a Docker engine, and none answered;"
                  + " drop the setting to use the in-JVM broker");
        }
        return Kind.TESTCONTAINERS;
      default:
        throw new IllegalArgumentException(
            "-D"
                + PROPERTY
                + "="
                + property
                + " is not known: use in-jvm (the default) or testcontainers");
    }
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
