package io.fleetplane.events.validation;

import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Names;
import io.fleetplane.events.Op;
import io.fleetplane.events.Problem;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.Toleration;
import io.fleetplane.events.plan.PlanCatalogue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every problem of a tenant request that can be seen without the scheduler's state, each with a
 * message a person understands. An empty list means the request is valid.
 */
public final class TenantRequestValidator {

  public static final int MAX_REQUEST_ID = 128;
  public static final int MAX_PRIORITY = 1_000_000;
  public static final int MIN_STORAGE_GI = 1;
  public static final int MAX_STORAGE_GI = 4096;
  public static final int MAX_REQUIRED_LABELS = 32;
  public static final int MAX_TOLERATIONS = 32;
  public static final int MAX_DATABASE_REF = 1024;

  /** kine's endpoint forms: postgres://, mysql:// (also its tcp(host) form), nats://, http(s). */
  private static final Pattern DATABASE_REF =
      Pattern.compile("^(postgres|postgresql|mysql|nats|http|https)://\\S+$");

  private final PlanCatalogue catalogue;

  public TenantRequestValidator(PlanCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  public List<Problem> validate(TenantRequest r) {
    List<Problem> problems = new ArrayList<>(0);
    validate(r, problems);
    return problems;
  }

  /** Adds the request's problems to {@code out}. */
  public void validate(TenantRequest r, List<Problem> out) {
    if (r.op() == null) {
      out.add(new Problem("op", "is required: CREATE, UPDATE or DELETE"));
    }
    if (r.tenantId() == null) {
      out.add(new Problem("tenantId", "is required"));
    } else {
      add(out, "tenantId", Names.problemWithTenantId(r.tenantId()));
    }
    checkRequestId(r.requestId(), out);
    checkIncarnation(r, out);
    if (r.op() == Op.CREATE) {
      checkCreate(r, out);
    } else if (r.op() == Op.UPDATE) {
      checkUpdate(r, out);
    }
  }

  private void checkCreate(TenantRequest r, List<Problem> out) {
    if (r.plan() == null) {
      out.add(new Problem("plan", "is required for CREATE: one of " + catalogue.plans().keySet()));
    } else {
      checkPlan(r.plan(), out);
    }
    if (r.region() == null) {
      out.add(new Problem("region", "is required for CREATE"));
    } else {
      add(out, "region", Names.problemWithLabelName("region", r.region()));
    }
    checkDatastore(r.datastore(), r.storageGi(), out);
    checkLabels(r.requiredLabels(), out);
    checkTolerations(r.tolerations(), out);
    checkPriority(r.priority(), out);
  }

  private void checkUpdate(TenantRequest r, List<Problem> out) {
    if (r.plan() == null && r.priority() == null && r.storageGi() == null) {
      out.add(new Problem("", "UPDATE changes nothing: give a new plan, priority or storageGi"));
    }
    if (r.plan() != null) {
      checkPlan(r.plan(), out);
    }
    checkPriority(r.priority(), out);
    if (r.storageGi() != null) {
      checkStorage(r.storageGi(), out);
    }
    String cannot = "cannot be changed by UPDATE: delete the tenant and create it again";
    if (r.datastore() != null) {
      out.add(new Problem("datastore", cannot));
    }
    if (r.isolation() != null) {
      out.add(new Problem("isolation", cannot));
    }
    if (r.region() != null) {
      out.add(new Problem("region", cannot));
    }
    if (!r.requiredLabels().isEmpty()) {
      out.add(new Problem("requiredLabels", cannot));
    }
    if (!r.tolerations().isEmpty()) {
      out.add(new Problem("tolerations", cannot));
    }
    if (r.highAvailability()) {
      out.add(new Problem("highAvailability", cannot));
    }
  }

  private static void checkRequestId(String id, List<Problem> out) {
    if (id == null) {
      out.add(new Problem("requestId", "is required: an idempotency key unique to this request"));
    } else {
      add(out, "requestId", problemWithRequestId(id));
    }
  }

  /** Null for a good request id (1-128 printable ASCII characters, no spaces), else why not. */
  public static String problemWithRequestId(String id) {
    if (id.isEmpty() || id.length() > MAX_REQUEST_ID) {
      return "must be 1 to " + MAX_REQUEST_ID + " printable ASCII characters without spaces";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "must be printable ASCII without spaces: '"
            + Names.clip(id)
            + "' has "
            + Names.escape(Character.toString(c)).replace(" ", "a space")
            + " at "
            + i;
      }
    }
    return null;
  }

  private static void checkIncarnation(TenantRequest r, List<Problem> out) {
    if (r.incarnation() == null) {
      return;
    }
    if (r.op() == Op.CREATE) {
      out.add(
          new Problem(
              "incarnation",
              "is for UPDATE and DELETE: a CREATE starts an incarnation, its requestId names it"));
    } else {
      add(out, "incarnation", problemWithRequestId(r.incarnation()));
    }
  }

  private void checkPlan(String plan, List<Problem> out) {
    if (catalogue.plan(plan).isEmpty()) {
      out.add(
          new Problem(
              "plan",
              "unknown plan '"
                  + Names.clip(plan)
                  + "': known plans are "
                  + String.join(", ", catalogue.plans().keySet())));
    }
  }

  private static void checkDatastore(Datastore d, Integer storageGi, List<Problem> out) {
    DatastoreMode mode = d == null ? DatastoreMode.DEDICATED_ETCD : d.mode();
    String ref = d == null ? null : d.databaseRef();
    if (mode == DatastoreMode.KINE) {
      if (ref == null || ref.isBlank()) {
        out.add(
            new Problem(
                "datastore.databaseRef",
                "is required for kine: the external database, e.g. postgres://kine@db.example.com:5432/tenant"));
      } else if (ref.length() > MAX_DATABASE_REF || !DATABASE_REF.matcher(ref).matches()) {
        out.add(
            new Problem(
                "datastore.databaseRef",
                "must be a postgres://, mysql://, nats:// or http(s):// endpoint of at most "
                    + MAX_DATABASE_REF
                    + " characters"));
      } else {
        add(out, "datastore.databaseRef", DatabaseRefs.problemWithCredential(ref));
      }
      String secret = d.credentialsSecret();
      if (secret != null && !Names.isDnsSubdomain(secret)) {
        out.add(
            new Problem(
                "datastore.credentialsSecret",
                "'"
                    + Names.clip(secret)
                    + "' is not a Secret name: up to 253 lowercase letters, digits, '-' and '.',"
                    + " starting and ending with a letter or digit"));
      }
    } else {
      if (ref != null) {
        out.add(
            new Problem(
                "datastore.databaseRef",
                "is only for kine; " + mode.wire() + " needs no external database"));
      }
      if (d != null && d.credentialsSecret() != null) {
        out.add(
            new Problem(
                "datastore.credentialsSecret",
                "is only for kine; " + mode.wire() + " needs no database credential"));
      }
    }
    if (storageGi != null) {
      if (mode != DatastoreMode.DEDICATED_ETCD) {
        out.add(new Problem("storageGi", "applies to dedicated-etcd only, not " + mode.wire()));
      } else {
        checkStorage(storageGi, out);
      }
    }
  }

  private static void checkStorage(int storageGi, List<Problem> out) {
    if (storageGi < MIN_STORAGE_GI || storageGi > MAX_STORAGE_GI) {
      out.add(
          new Problem(
              "storageGi",
              "must be between "
                  + MIN_STORAGE_GI
                  + " and "
                  + MAX_STORAGE_GI
                  + " GiB, got "
                  + storageGi));
    }
  }

  private static void checkPriority(Integer priority, List<Problem> out) {
    if (priority != null && (priority < 0 || priority > MAX_PRIORITY)) {
      out.add(
          new Problem("priority", "must be between 0 and " + MAX_PRIORITY + ", got " + priority));
    }
  }

  private static void checkLabels(Map<String, String> labels, List<Problem> out) {
    if (labels.size() > MAX_REQUIRED_LABELS) {
      out.add(
          new Problem(
              "requiredLabels",
              "at most " + MAX_REQUIRED_LABELS + " labels, got " + labels.size()));
      return;
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      add(out, "requiredLabels", Names.problemWithLabelKey(e.getKey()));
      add(out, "requiredLabels." + e.getKey(), Names.problemWithLabelValue(e.getValue()));
    }
  }

  private static void checkTolerations(List<Toleration> tolerations, List<Problem> out) {
    if (tolerations.size() > MAX_TOLERATIONS) {
      out.add(
          new Problem("tolerations", "at most " + MAX_TOLERATIONS + ", got " + tolerations.size()));
      return;
    }
    for (int i = 0; i < tolerations.size(); i++) {
      Toleration t = tolerations.get(i);
      String at = "tolerations[" + i + "]";
      if (t.key() == null) {
        out.add(new Problem(at + ".key", "is required"));
      } else {
        add(out, at + ".key", Names.problemWithLabelKey(t.key()));
      }
      if (t.value() != null) {
        add(out, at + ".value", Names.problemWithLabelValue(t.value()));
      }
      if (t.effect() != null) {
        add(out, at + ".effect", Names.problemWithTaintEffect(t.effect()));
      }
    }
  }

  private static void add(List<Problem> out, String field, String problem) {
    if (problem != null) {
      out.add(new Problem(field, problem));
    }
  }
}
