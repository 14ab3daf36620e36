package io.fleetplane.placement.filter;

import io.fleetplane.placement.model.Demand;
import java.util.function.Consumer;

/**
 * One reason a host may not take a tenant. {@link #check} reports every reason it finds (each a
 * short phrase that is counted across hosts, such as "insufficient memory"), not just the first.
 */
public interface Filter {

  void check(HostView host, Demand demand, Consumer<String> refusal);
}
