package io.fleetplane.scheduler.config;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Stops the scheduler when the process that started it ({@code fleet.parent-pid}) ends. */
@Startup
@ApplicationScoped
public class ParentProcess {

  private static final Logger LOG = Logger.getLogger(ParentProcess.class);

  private final SchedulerConfig config;

  public ParentProcess(SchedulerConfig config) {
    this.config = config;
  }

  @PostConstruct
  void watch() {
    if (config.parentPid().isEmpty()) {
      return;
    }
    long pid = config.parentPid().get();
    Optional<ProcessHandle> parent = ProcessHandle.of(pid);
    if (parent.isEmpty()) {
      LOG.warnf("the process that started the scheduler (pid %d) is gone: stopping", pid);
      Quarkus.asyncExit(0);
      return;
    }
    parent
        .get()
        .onExit()
        .thenRun(
            () -> {
              LOG.warnf("the process that started the scheduler (pid %d) ended: stopping", pid);
              Quarkus.asyncExit(0);
            });
  }
}
