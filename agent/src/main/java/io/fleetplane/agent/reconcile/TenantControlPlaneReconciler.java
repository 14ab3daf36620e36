package io.fleetplane.agent.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fleetplane.agent.crd.TenantControlPlane;
import io.fleetplane.agent.crd.TenantControlPlaneSpec;
import io.fleetplane.agent.crd.TenantControlPlaneStatus;
import io.fleetplane.agent.model.ControlPlaneModel;
import io.fleetplane.agent.model.Labels;
import io.fleetplane.agent.model.TenantNames;
import io.fleetplane.agent.tenant.TenantApi;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Reconciles each {@link TenantControlPlane} into its objects, one dependent resource per kind: the
 * workflow creates what is missing, puts back what was edited or deleted, and deletes the namespace
 * when the tenant is released. What the cluster shares between tenants is made sure of first
 * ({@link ClusterShared}), so that no pod is created before its PriorityClass; hence the workflow
 * is invoked explicitly. The status comes from the workloads ({@link TenantHealth}) and from
 * refusals of the API server ({@link #updateErrorStatus}), and is written only when it changes, so
 * a converged tenant costs no write.
 */
@ControllerConfiguration(name = TenantControlPlaneReconciler.NAME)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "namespace", type = NamespaceDependent.class),
      @Dependent(name = "quota", type = QuotaDependent.class, dependsOn = "namespace"),
      @Dependent(name = "limits", type = LimitRangeDependent.class, dependsOn = "namespace"),
      @Dependent(
          name = "network-policies",
          type = NetworkPoliciesDependent.class,
          dependsOn = "namespace"),
      @Dependent(name = "pki", type = PkiSecretsDependent.class, dependsOn = "namespace"),
      // Before the Deployments: an API server pod whose kine Secret is missing fails to start.
      @Dependent(
          name = "workload-secrets",
          type = WorkloadSecretsDependent.class,
          dependsOn = "namespace",
          useEventSourceWithName = "pki"),
      @Dependent(
          name = "deployments",
          type = DeploymentsDependent.class,
          dependsOn = {"namespace", "quota", "pki", "workload-secrets"}),
      @Dependent(
          name = "etcd",
          type = EtcdStatefulSetsDependent.class,
          dependsOn = {"namespace", "quota", "pki"}),
      @Dependent(name = "services", type = ServicesDependent.class, dependsOn = "namespace"),
    })
public class TenantControlPlaneReconciler implements Reconciler<TenantControlPlane> {

  private static final Logger LOG = Logger.getLogger(TenantControlPlaneReconciler.class);

  public static final String NAME = "tenant-control-plane";

  /** How soon a hosted operator's token is asked for again while the tenant has not issued it. */
  static final Duration TOKEN_RETRY_EVERY = Duration.ofSeconds(10);

  static final String PODS = "pods";

  /** How often a tenant whose namespace is terminating looks again (its deletion also does). */
  static final Duration TERMINATING_CHECK_EVERY = Duration.ofSeconds(5);

  private final TenantApi tenantApi;
  private final ClusterShared shared = new ClusterShared();

  public TenantControlPlaneReconciler(TenantApi tenantApi) {
    this.tenantApi = Objects.requireNonNull(tenantApi, "tenantApi");
  }

  /**
   * The tenants' pods, which no tenant owns (their ReplicaSets and StatefulSets do): mapped to the
   * tenant by label, and only when whether a container is stuck changes, so that a rollout's
   * readiness flips do not each cost a reconcile (the Deployment's own status brings those).
   */
  @Override
  public List<EventSource<?, TenantControlPlane>> prepareEventSources(
      EventSourceContext<TenantControlPlane> context) {
    var pods =
        InformerEventSourceConfiguration.from(Pod.class, TenantControlPlane.class)
            .withName(PODS)
            .withLabelSelector(Selectors.OURS)
            .withSecondaryToPrimaryMapper(
                pod -> {
                  String tenant = pod.getMetadata().getLabels().get(Labels.TENANT);
                  return tenant == null ? Set.of() : Set.of(new ResourceID(tenant));
                })
            .withOnAddFilter(pod -> !TenantHealth.stuck(pod).isEmpty())
            .withOnUpdateFilter(
                (now, before) -> !TenantHealth.stuck(now).equals(TenantHealth.stuck(before)))
            .withOnDeleteFilter((pod, unknown) -> !TenantHealth.stuck(pod).isEmpty())
            .build();
    return List.of(new InformerEventSource<>(pods, context));
  }

  @Override
  public UpdateControl<TenantControlPlane> reconcile(
      TenantControlPlane tenant, Context<TenantControlPlane> context) {
    TenantControlPlaneSpec spec = tenant.getSpec();
    Optional<String> terminating = terminatingNamespace(tenant, context);
    if (terminating.isPresent()) {
      // Every create in it would be refused, and objects put back there would only go again: wait.
      String message = "waiting for namespace " + terminating.get() + " to finish terminating";
      String phase = TenantControlPlaneStatus.PROVISIONING;
      UpdateControl<TenantControlPlane> wait =
          unchanged(tenant, phase, message)
              ? UpdateControl.noUpdate()
              : UpdateControl.patchStatus(withStatus(tenant, phase, message));
      return wait.rescheduleAfter(TERMINATING_CHECK_EVERY);
    }
    shared.ensureFor(ControlPlaneModel.workloadsOf(spec, Catalogue.PLANS), context.getClient());

    // The reading the workload Secrets need, done here as an explicit step; the workflow's
    // dependents only build and compare.
    WorkloadSecretsStep.Result secrets = WorkloadSecretsStep.run(tenant, context, tenantApi);
    var workflow = context.managedWorkflowAndDependentResourceContext();
    workflow.put(WorkloadSecretsStep.Result.class, secrets);
    workflow.reconcileManagedWorkflow(); // throws if a dependent failed: updateErrorStatus

    Map<String, String> pendingTokens = secrets.pending();
    String ns = TenantNames.namespace(spec.getTenantId());
    TenantHealth health =
        TenantHealth.of(
            names(ControlPlaneModel.deployments(spec, Catalogue.PLANS)),
            names(ControlPlaneModel.statefulSets(spec, Catalogue.PLANS)),
            byName(context.getSecondaryResourcesAsStream(Deployment.class), ns),
            byName(context.getSecondaryResourcesAsStream(StatefulSet.class), ns),
            context.getSecondaryResources(Pod.class),
            pendingTokens);

    UpdateControl<TenantControlPlane> control =
        unchanged(tenant, health.phase(), health.message())
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(withStatus(tenant, health.phase(), health.message()));
    if (!pendingTokens.isEmpty()) {
      control.rescheduleAfter(TOKEN_RETRY_EVERY);
    }
    return control;
  }

  /**
   * A refusal by the API server (or a spec the agent cannot build) makes the tenant Failed with the
   * reason; any other error is retried with backoff ({@link Controllers#RETRY}) and, once the
   * retries are spent, makes it Failed too. A refusal that trying again cannot mend is not retried:
   * the next change of the tenant or its objects reconciles it again.
   */
  @Override
  public ErrorStatusUpdateControl<TenantControlPlane> updateErrorStatus(
      TenantControlPlane tenant, Context<TenantControlPlane> context, Exception e) {
    var rejection = Rejection.of(e);
    boolean lastAttempt = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(true);
    if (rejection.isEmpty() && !lastAttempt) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    String message =
        rejection
            .map(Rejection::message)
            .orElseGet(() -> "gave up retrying: " + Rejection.describe(e));
    LOG.warnf("tenant %s failed: %s", tenant.getMetadata().getName(), message);
    String failed = TenantControlPlaneStatus.FAILED;
    ErrorStatusUpdateControl<TenantControlPlane> control =
        unchanged(tenant, failed, message)
            ? ErrorStatusUpdateControl.noStatusUpdate()
            : ErrorStatusUpdateControl.patchStatus(withStatus(tenant, failed, message));
    return rejection.map(Rejection::retry).orElse(false) ? control : control.withNoRetry();
  }

  /** The tenant's namespace, if it is being deleted (by a person, or a release not yet done). */
  private static Optional<String> terminatingNamespace(
      TenantControlPlane tenant, Context<TenantControlPlane> context) {
    String ns = TenantNames.namespace(tenant.getSpec().getTenantId());
    return context
        .getSecondaryResourcesAsStream(Namespace.class)
        .filter(n -> ns.equals(n.getMetadata().getName()))
        .filter(n -> n.getMetadata().getDeletionTimestamp() != null)
        .map(n -> ns)
        .findFirst();
  }

  private static boolean unchanged(TenantControlPlane tenant, String phase, String message) {
    TenantControlPlaneStatus now = tenant.getStatus();
    return now != null
        && phase.equals(now.getPhase())
        && Objects.equals(message, now.getMessage())
        && Objects.equals(now.getObservedGeneration(), generation(tenant));
  }

  private static TenantControlPlane withStatus(
      TenantControlPlane tenant, String phase, String message) {
    TenantControlPlaneStatus next = new TenantControlPlaneStatus();
    next.setPhase(phase);
    next.setMessage(message);
    next.setObservedGeneration(generation(tenant));
    TenantControlPlane patch = new TenantControlPlane();
    patch.setMetadata(tenant.getMetadata());
    patch.setStatus(next);
    return patch;
  }

  private static long generation(TenantControlPlane tenant) {
    return tenant.getMetadata().getGeneration() == null ? 0 : tenant.getMetadata().getGeneration();
  }

  private static List<String> names(List<? extends HasMetadata> l) {
    return l.stream().map(r -> r.getMetadata().getName()).toList();
  }

  private static <R extends HasMetadata> Map<String, R> byName(
      Stream<R> resources, String namespace) {
    return resources
        .filter(r -> namespace.equals(r.getMetadata().getNamespace()))
        .collect(
            Collectors.toMap(r -> r.getMetadata().getName(), Function.identity(), (a, b) -> a));
  }
}
