package io.fleetplane.fleetctl;

import io.fleetplane.events.TenantRequest;
import java.io.PrintStream;

/** Sends one tenant request and says where it went; Kafka in the command, a list in tests. */
@FunctionalInterface
interface Publisher {

  /** Returns the exit code. */
  int publish(String bootstrap, TenantRequest request, PrintStream out, PrintStream err);
}
