package io.fleetplane.placement.filter;

import io.fleetplane.placement.model.Demand;
import io.fleetplane.placement.model.Traits;
import java.util.function.Consumer;

/**
 * A filter that looks only at a host's {@link Traits}: it answers the same for every host with
 * equal traits, so the index asks it once per pool of such hosts.
 */
public interface TraitFilter extends Filter {

  void check(Traits traits, Demand demand, Consumer<String> refusal);

  @Override
  default void check(HostView host, Demand demand, Consumer<String> refusal) {
    check(host.host().traits(), demand, refusal);
  }
}
