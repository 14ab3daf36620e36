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

  /** A DNS-1123 subdomain, as Kubernetes names most objects: labels joined by '.', <= 253. */
  public static boolean isDnsSubdomain(String s) {
    if (s.isEmpty() || s.length() > 253) {
      return false;
    }
    for (String part : s.split("\\.", -1)) {
      if (!isDns1123Label(part, MAX_LABEL)) {
        return false;
      }
    }
    return true;
  }

  /**
   * At most 64 characters of a value, for messages that must stay readable, with every character a
   * terminal or a browser would not show as itself escaped (see {@link #escape}).
   */
  public static String clip(String s) {
    if (s == null) {
      return "null";
    }
    int n = s.codePointCount(0, s.length());
    String kept = n <= 64 ? s : s.substring(0, s.offsetByCodePoints(0, 61)) + "...";
    return escape(kept);
  }

  /**
   * The string with control, format (bidi overrides, zero-width characters, the byte-order mark),
   * line and paragraph separator, private-use, unassigned and lone surrogate characters written as
   * a backslash, 'u' and four hex digits (or the hex digits in braces beyond the BMP), and the
   * backslash itself doubled, so that a reason that quotes hostile input reads the same everywhere
   * and cannot reorder or hide its own text.
   */
  public static String escape(String s) {
    int i = 0;
    int n = s.length();
    while (i < n && shownAsItself(s.charAt(i))) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n + 16).append(s, 0, i);
    while (i < n) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\\') {
        sb.append("\\\\");
      } else if (hidden(cp)) {
        sb.append(cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\u{%x}", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    }
    return sb.toString();
  }

  /** True if {@link #escape} would escape a character of {@code s} other than the backslash. */
  public static boolean hasHiddenCharacters(String s) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (hidden(cp)) {
        return true;
      }
      i += Character.charCount(cp);
    }
    return false;
  }

  private static boolean shownAsItself(char c) {
    return c >= 0x20 && c < 0x7f && c != '\\';
  }

  private static boolean hidden(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.PRIVATE_USE,
          Character.SURROGATE,
          Character.UNASSIGNED ->
          true;
      default -> false;
    };
  }
}
