package io.fleetplane.events;

/**
 * Checks of the names that become Kubernetes names. Each {@code problemWith...} method returns null
 * for a good name, or a sentence saying what is wrong with it.
 */
public final class Names {

  private Names() {}

  /** The namespace of a tenant is {@code tenant-<id>}, itself a label of at most 63. */
  public static final String NAMESPACE_PREFIX = "tenant-";

  public static final int MAX_TENANT_ID = 63 - NAMESPACE_PREFIX.length();

  public static final int MAX_LABEL = 63;

  /** True if {@code s} is a DNS-1123 label: lowercase alphanumerics and '-', alnum at both ends. */
  public static boolean isDns1123Label(String s, int maxLength) {
    int n = s.length();
    if (n == 0 || n > maxLength) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (c != '-' || i == 0 || i == n - 1)) {
        return false;
      }
    }
    return true;
  }

  public static String problemWithTenantId(String id) {
    if (isDns1123Label(id, MAX_TENANT_ID)) {
      return null;
    }
    return "'"
        + clip(id)
        + "' is not a valid tenant id: it becomes the namespace "
        + NAMESPACE_PREFIX
        + "<id>, so use 1 to "
        + MAX_TENANT_ID
        + " lowercase letters, digits and '-', starting and ending with a letter or digit";
  }

  /** For cluster ids and regions: a plain DNS-1123 label. */
  public static String problemWithLabelName(String what, String s) {
    if (isDns1123Label(s, MAX_LABEL)) {
      return null;
    }
    return "'"
        + clip(s)
        + "' is not a valid "
        + what
        + ": use 1 to 63 lowercase letters, digits and '-', starting and ending with a letter or digit";
  }

  /** A Kubernetes label key: an optional DNS subdomain prefix and '/', then a name of <= 63. */
  public static String problemWithLabelKey(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean ok = isQualifiedName(name);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      ok &= prefix.length() <= 253 && isDnsSubdomain(prefix);
    }
    return ok
        ? null
        : "'"
            + clip(key)
            + "' is not a valid label key: an optional DNS prefix and '/', then 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  }

  /** The taint effects Kubernetes knows; a host's taint or a tenant's toleration uses one. */
  public static final java.util.Set<String> TAINT_EFFECTS =
      java.util.Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  public static String problemWithTaintEffect(String effect) {
    return TAINT_EFFECTS.contains(effect)
        ? null
        : "unknown effect '"
            + clip(effect)
            + "': expected NoSchedule, PreferNoSchedule or NoExecute";
  }

  public static String problemWithLabelValue(String value) {
    return value.isEmpty() || isQualifiedName(value)
        ? null
        : "'"
            + clip(value)
            + "' is not a valid label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  }

  private static boolean isQualifiedName(String s) {
    int n = s.length();
    if (n == 0 || n > MAX_LABEL) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      boolean inner = c == '-' || c == '_' || c == '.';
      if (!alnum && (!inner || i == 0 || i == n - 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDnsSubdomain(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (String part : s.split("\\.", -1)) {
      if (!isDns1123Label(part, MAX_LABEL)) {
        return false;
      }
    }
    return true;
  }

  /** At most 64 characters of a value, for messages that must stay readable. */
  public static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
