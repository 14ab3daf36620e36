package io.fleetplane.events.corpus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * More than a thousand malformed or refusable values for the fleet's input topics, one class each
 * (see events/README.md, "What is refused"), with what must come of each: a dead letter always, and
 * for a tenant request a REJECTED event addressed to {@link Case#rejectTo} carrying {@link
 * Case#requestId}, when those can be known. Deterministic for a seed.
 *
 * <p>Tenant ids of the corpus start with {@code hx}; a few cases aim at tenants a test must create
 * first: {@link #EXISTING} (created by request {@link #EXISTING_CREATE}).
 */
public final class HostileCorpus {

  private HostileCorpus() {}

  /** A tenant that a run creates before the corpus, for the cases that need one to exist. */
  public static final String EXISTING = "hx-existing";

  public static final String EXISTING_CREATE = "hx-existing-create";

  /** Where a value goes. */
  public enum Topic {
    TENANT_REQUESTS,
    HOST_REPORTS,
    HOST_COMMANDS
  }

  /**
   * One hostile value.
   *
   * @param kind its class, for counting and messages
   * @param key the record key (may be null)
   * @param value the record value (null: a tombstone)
   * @param rejectTo the tenant a REJECTED event must be addressed to; null if there must be none
   * @param requestId the request id that REJECTED must carry; null if none can be read
   */
  public record Case(
      String kind, Topic topic, String key, byte[] value, String rejectTo, String requestId) {}

  /** The corpus, at least 1,000 values. */
  public static List<Case> generate(long seed) {
    Gen g = new Gen(new Random(seed));
    g.duplicates();
    g.encodings();
    g.longStrings();
    g.nulls();
    g.times();
    g.credentials();
    g.hiddenCharacters();
    g.numbers();
    g.truncations();
    g.wrongTypes();
    g.notObjects();
    g.keys();
    g.operations();
    g.versions();
    g.hostReports();
    g.hostCommands();
    return List.copyOf(g.cases);
  }

  private static final class Gen {
    final Random random;
    final List<Case> cases = new ArrayList<>();
    int n;

    Gen(Random random) {
      this.random = random;
    }

    String tenant() {
      return "hx" + n;
    }

    String rid() {
      return "hx-r" + n;
    }

    /** A valid CREATE's fields, in order, as JSON fragments; change them to make it hostile. */
    Map<String, String> create() {
      Map<String, String> f = new LinkedHashMap<>();
      f.put("v", "1");
      f.put("op", "\"CREATE\"");
      f.put("tenantId", q(tenant()));
      f.put("requestId", q(rid()));
      f.put("plan", "\"small\"");
      f.put("region", "\"eu-west\"");
      f.put("datastore", "{\"mode\":\"dedicated-etcd\"}");
      f.put("isolation", "\"runc\"");
      f.put("requiredLabels", "{\"fleet.io/tier\":\"gold\"}");
      f.put("tolerations", "[{\"key\":\"dedicated\",\"value\":\"x\",\"effect\":\"NoSchedule\"}]");
      f.put("priority", "5");
      // No requestedAt: a fixed one would be older than the retention some day.
      return f;
    }

    static String q(String s) {
      return "\"" + s + "\"";
    }

    static String json(Map<String, String> fields) {
      StringBuilder sb = new StringBuilder("{");
      for (Map.Entry<String, String> e : fields.entrySet()) {
        if (sb.length() > 1) {
          sb.append(',');
        }
        sb.append(q(e.getKey())).append(':').append(e.getValue());
      }
      return sb.append('}').toString();
    }

    /** A request keyed by its own tenant, refused with its request id (the usual case). */
    void request(String kind, String json) {
      request(kind, json, tenant(), rid());
    }

    void request(String kind, String json, String rejectTo, String requestId) {
      add(kind, Topic.TENANT_REQUESTS, tenant(), utf8(json), rejectTo, requestId);
    }

    void add(String kind, Topic topic, String key, byte[] value, String rejectTo, String rid) {
      cases.add(new Case(kind, topic, key, value, rejectTo, rid));
      n++;
    }

    static byte[] utf8(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }

    void duplicates() {
      for (String field : create().keySet()) {
        for (boolean same : new boolean[] {true, false}) {
          Map<String, String> f = create();
          String v = f.get(field);
          String other = same ? v : field.equals("v") ? "2" : "\"other\"";
          String j = json(f);
          j = j.substring(0, j.length() - 1) + "," + q(field) + ":" + other + "}";
          // The parser stops at the second name: an id given twice names none.
          request("duplicate field", j, tenant(), field.equals("requestId") ? null : rid());
        }
      }
      Map<String, String> f = create();
      f.put("datastore", "{\"mode\":\"kine\",\"mode\":\"shared-etcd\"}");
      request("duplicate field", json(f));
      f = create();
      f.put("extension", "{\"a\":{\"b\":1,\"b\":2}}");
      request("duplicate field", json(f));
      f = create();
      f.put("requiredLabels", "{\"a\":\"x\",\"a\":\"y\"}");
      request("duplicate field", json(f));
    }

    void encodings() {
      for (int i = 0; i < 10; i++) {
        byte[] body = utf8(json(create()));
        byte[] bom = new byte[body.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bom, 3, body.length);
        add("byte-order mark", Topic.TENANT_REQUESTS, tenant(), bom, tenant(), null);
      }
      for (String charset :
          new String[] {"UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"}) {
        for (int i = 0; i < 4; i++) {
          add(
              "UTF-16/32",
              Topic.TENANT_REQUESTS,
              tenant(),
              json(create()).getBytes(java.nio.charset.Charset.forName(charset)),
              tenant(),
              null);
        }
      }
      byte[][] bad = {
        {(byte) 0x80},
        {(byte) 0xC3},
        {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0},
        {(byte) 0xFF},
        {(byte) 0xFE},
        {(byte) 0xF8, (byte) 0x88, (byte) 0x80}
      };
      for (int i = 0; i < 120; i++) {
        Map<String, String> f = create();
        String marker = "@@";
        f.put("plan", q("sm" + marker + "all"));
        String j = json(f);
        int at = j.indexOf(marker);
        byte[] pre = utf8(j.substring(0, at));
        byte[] post = utf8(j.substring(at + marker.length()));
        byte[] b = bad[i % bad.length];
        byte[] out = new byte[pre.length + b.length + post.length];
        System.arraycopy(pre, 0, out, 0, pre.length);
        System.arraycopy(b, 0, out, pre.length, b.length);
        System.arraycopy(post, 0, out, pre.length + b.length, post.length);
        // Bytes after the request id: a decoder that stops at the bad byte has read it.
        add("not UTF-8", Topic.TENANT_REQUESTS, tenant(), out, tenant(), rid());
      }
    }

    void longStrings() {
      int[] sizes = {8_193, 9_000, 12_000, 30_000, 60_000};
      for (int size : sizes) {
        for (int i = 0; i < 4; i++) {
          Map<String, String> f = create();
          f.put("note" + i, q("n".repeat(size)));
          request("long string in an unknown field", json(f));
          f = create();
          f.put("meta", "{\"a\":[1,{\"b\":" + q("n".repeat(size)) + "}]}");
          request("long string deep in an unknown field", json(f));
        }
      }
      for (String field : new String[] {"plan", "region"}) {
        for (int i = 0; i < 5; i++) {
          Map<String, String> f = create();
          f.put(field, q("p".repeat(8_193 + i * 1000)));
          request("long string in a known field", json(f));
        }
      }
    }

    void nulls() {
      for (int i = 0; i < 5; i++) {
        Map<String, String> f = create();
        f.put("requiredLabels", "{\"fleet.io/tier\":null,\"k" + i + "\":\"v\"}");
        request("null in a map", json(f));
        f = create();
        f.put("tolerations", "[null]");
        request("null in a list", json(f));
        f = create();
        f.put("tolerations", "[{\"key\":null}]");
        request("null key in a list element", json(f));
      }
    }

    void times() {
      String[] bad = {
        "2026-11-24T10:15:30",
        "2026-11-24",
        "10:15:30Z",
        "2026-11-24 10:15:30Z",
        "2026-11-24T10:15:30+0200",
        "2026-11-24T10:15:30+02",
        "+12026-11-24T10:15:30Z",
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-11-24T24:00:00Z",
        "2026-11-24T10:15:30.Z",
        "2026-11-24T10:15:30.1234567890Z",
        "yesterday",
        "",
        "2026-11-24t10:15:30z",
        "1732443330",
        "2026-11-24T10:15:30 Z",
        "2026-W48-1T00:00:00Z",
        "2026-11-24T10:15:60Z",
        "-2026-11-24T10:15:30Z"
      };
      for (String t : bad) {
        Map<String, String> f = create();
        f.put("requestedAt", q(t));
        request("time without an offset, or not ISO-8601", json(f));
      }
      for (int i = 0; i < 5; i++) {
        Map<String, String> f = create();
        f.put("requestedAt", q("2019-0" + (i + 1) + "-01T00:00:00Z"));
        request("request older than the retention", json(f));
      }
    }

    void credentials() {
      String[] refs = {
        "postgres://kine:hunter2@db:5432/t",
        "postgres://kine%3Ahunter2@db/t",
        "postgres://:pw@db/t",
        "mysql://u:pw@tcp(db:3306)/t",
        "postgres://u:p/w@db/t",
        "postgres://db/t?password=x",
        "postgres://db/t?sslpassword=x",
        "postgres://db/t?pass=x",
        "postgres://db/t?secret=x",
        "postgres://db/t?token=x",
        "postgres://db/t?sslkey=/k",
        "postgres://db/t?PASSWORD=x",
        "postgres://db/t?%70assword=x",
        "postgres://db/t;password=x",
        "postgres://db/t?sslmode=require&password=x",
        "nats://db:4222?auth_token=x",
        "https://db/k?apiKey=x",
        "https://db/k?access_token=x",
        "postgres://db/t?pwd=x",
        "postgres://db/t?credentials=x",
        "postgres://db/t?user=k&password",
        "mysql://db/t?pass-word=x"
      };
      for (String ref : refs) {
        Map<String, String> f = create();
        f.put("datastore", "{\"mode\":\"kine\",\"databaseRef\":" + q(ref) + "}");
        request("credential in a databaseRef", json(f));
      }
    }

    void hiddenCharacters() {
      String[] hidden = {
        "\\u202e", "\\u200b", "\\u0000", "\\u0007", "\\u2066", "\\ufeff", "\\u2028", "\\ue000",
        "\\u200e", "\\u061c", "\\u00ad", "\\u2029"
      };
      for (String h : hidden) {
        Map<String, String> f = create();
        f.put("tenantId", q("ac" + h + "me"));
        request("hidden character in the tenant id", json(f), tenant(), rid());
        f = create();
        f.put("requestId", q("r" + h + "1"));
        request("hidden character in the request id", json(f), tenant(), null);
        for (String field : new String[] {"plan", "region"}) {
          f = create();
          f.put(field, q("x" + h + "y"));
          request("hidden character in " + field, json(f));
        }
        f = create();
        f.put("requiredLabels", "{" + q("k" + h) + ":\"v\"}");
        request("hidden character in a label key", json(f));
        f = create();
        f.put("requiredLabels", "{\"k\":" + q("v" + h) + "}");
        request("hidden character in a label value", json(f));
        f = create();
        f.put("tolerations", "[{\"key\":" + q("t" + h) + "}]");
        request("hidden character in a toleration", json(f));
      }
    }

    void numbers() {
      String[] bad = {
        "-1",
        "1.5",
        "1e3",
        "2147483648",
        "9223372036854775808",
        "9".repeat(40),
        "\"5\"",
        "true",
        "1000001"
      };
      for (String field : new String[] {"priority", "storageGi"}) {
        for (String v : bad) {
          Map<String, String> f = create();
          f.put(field, v);
          request("number out of range or of the wrong kind", json(f));
        }
      }
    }

    void truncations() {
      for (boolean isCreate : new boolean[] {true, false}) {
        int length = json(isCreate ? create() : delete()).length();
        for (int cut = 1; cut < length; cut++) {
          String j = json(isCreate ? create() : delete()); // with this case's ids
          String rid = q(rid());
          // The request id is read whole once its closing quote is in: a refusal can carry it.
          int ridEnd = j.indexOf(rid) + rid.length();
          add(
              "truncated",
              Topic.TENANT_REQUESTS,
              tenant(),
              utf8(j.substring(0, Math.min(cut, j.length() - 1))),
              tenant(),
              cut >= ridEnd ? rid() : null);
        }
      }
      String ok = "{\"cpuMillis\":64000,\"memoryMiB\":262144,\"pods\":110}";
      for (int cut = 1; cut < 150; cut += 2) {
        String c = "hx-h" + n;
        String r = report(c, ok, null, "");
        add(
            "truncated host report",
            Topic.HOST_REPORTS,
            c,
            utf8(r.substring(0, Math.min(cut, r.length() - 1))),
            null,
            null);
      }
    }

    Map<String, String> delete() {
      Map<String, String> f = new LinkedHashMap<>();
      f.put("v", "1");
      f.put("op", "\"DELETE\"");
      f.put("tenantId", q(tenant()));
      f.put("requestId", q(rid()));
      return f;
    }

    void wrongTypes() {
      String[] wrong = {"42", "{\"a\":1}", "[\"x\"]", "false"};
      for (String field : create().keySet()) {
        if (field.equals("v")) {
          continue;
        }
        for (String w : wrong) {
          Map<String, String> f = create();
          f.put(field, field.equals("priority") && w.equals("42") ? "\"42\"" : w);
          boolean idBroken = field.equals("tenantId") || field.equals("requestId");
          request(
              "field of the wrong type",
              json(f),
              tenant(),
              idBroken && field.equals("requestId") ? null : rid());
        }
      }
    }

    void notObjects() {
      String[] values = {"[]", "[{\"v\":1}]", "\"CREATE\"", "42", "true", "null", " ", "\n\t "};
      for (String v : values) {
        request("not a JSON object", v, tenant(), null);
      }
      add("empty value", Topic.TENANT_REQUESTS, tenant(), new byte[0], tenant(), null);
      add("tombstone", Topic.TENANT_REQUESTS, tenant(), null, tenant(), null);
      for (int i = 0; i < 3; i++) {
        request("content after the object", json(create()) + "{}");
        request("content after the object", json(create()) + "x");
      }
    }

    void keys() {
      for (int i = 0; i < 10; i++) {
        Map<String, String> f = create();
        f.put("tenantId", q("hx-other" + i));
        request("record key is not the tenant id", json(f));
      }
      for (int i = 0; i < 5; i++) {
        Map<String, String> f = create();
        add("no record key", Topic.TENANT_REQUESTS, null, utf8(json(f)), tenant(), rid());
      }
      for (int i = 0; i < 5; i++) {
        Map<String, String> f = create();
        String key = i % 2 == 0 ? "HX_" + n : "hx\u202e" + n;
        add(
            "record key is no tenant id",
            Topic.TENANT_REQUESTS,
            key,
            utf8(json(f)),
            tenant(),
            rid());
      }
      for (int i = 0; i < 5; i++) {
        Map<String, String> f = create();
        f.put("tenantId", q("Bad_Id_" + i));
        request("tenant id invalid, key valid", json(f), tenant(), rid());
      }
    }

    void operations() {
      for (String op : new String[] {"UPSERT", "create", "MOVE!", "", "Delete"}) {
        Map<String, String> f = create();
        f.put("op", q(op));
        request("unknown op", json(f));
      }
      for (String field :
          new String[] {"region", "datastore", "isolation", "requiredLabels", "tolerations"}) {
        Map<String, String> f = create();
        f.put("op", "\"UPDATE\"");
        request("UPDATE of what cannot change", json(f));
      }
      Map<String, String> f = delete();
      f.put("op", "\"UPDATE\"");
      request("UPDATE that changes nothing", json(f));
      for (String missing : new String[] {"plan", "region", "requestId", "tenantId", "op"}) {
        f = create();
        f.remove(missing);
        request(
            "required field missing",
            json(f),
            tenant(),
            missing.equals("requestId") ? null : rid());
      }
      f = create();
      f.put("incarnation", "\"r0\"");
      request("incarnation on a CREATE", json(f));
      for (int i = 0; i < 5; i++) {
        request("DELETE of an unknown tenant", json(delete()));
        f = delete();
        f.put("op", "\"UPDATE\"");
        f.put("plan", "\"medium\"");
        request("UPDATE of an unknown tenant", json(f));
      }
      for (int i = 0; i < 3; i++) {
        f = create();
        f.put("tenantId", q(EXISTING));
        add(
            "CREATE of a tenant that exists",
            Topic.TENANT_REQUESTS,
            EXISTING,
            utf8(json(f)),
            EXISTING,
            rid());
        f = delete();
        f.put("tenantId", q(EXISTING));
        f.put("incarnation", q("hx-not-" + EXISTING_CREATE));
        add(
            "DELETE aimed at another incarnation",
            Topic.TENANT_REQUESTS,
            EXISTING,
            utf8(json(f)),
            EXISTING,
            rid());
      }
      for (String enumField : new String[] {"isolation", "plan"}) {
        f = create();
        f.put(enumField, "\"kata\"");
        request("unknown value", json(f));
      }
      f = create();
      f.put("datastore", "{\"mode\":\"etcd\"}");
      request("unknown value", json(f));
      f = create();
      f.put("datastore", "{\"mode\":\"kine\"}");
      request("kine without a database", json(f));
    }

    void versions() {
      for (String v : new String[] {"0", "2", "\"1\"", "1.0", "-1", "99999999999"}) {
        Map<String, String> f = create();
        f.put("v", v);
        request("unsupported or malformed version", json(f));
      }
      Map<String, String> f = create();
      f.remove("v");
      request("no version", json(f));
    }

    String report(String cluster, String allocatable, String unmanaged, String extra) {
      return "{\"v\":1,\"clusterId\":"
          + q(cluster)
          + ",\"region\":\"eu-west\",\"reportedAt\":\"2026-11-24T10:15:30Z\","
          + "\"allocatable\":"
          + allocatable
          + (unmanaged == null ? "" : ",\"unmanagedUsed\":" + unmanaged)
          + extra
          + "}";
    }

    void hostReports() {
      String ok = "{\"cpuMillis\":64000,\"memoryMiB\":262144,\"pods\":110}";
      for (int i = 0; i < 10; i++) {
        String c = "hx-h" + n;
        String unmanaged =
            "{\"cpuMillis\":"
                + (64_001 + i)
                + ",\"memoryMiB\":1,\"pods\":"
                + (i % 2 == 0 ? 1 : 111)
                + "}";
        add(
            "unmanaged use above allocatable",
            Topic.HOST_REPORTS,
            c,
            utf8(report(c, ok, unmanaged, "")),
            null,
            null);
      }
      String[] absurd = {
        "{\"cpuMillis\":100000001,\"memoryMiB\":1,\"pods\":1}",
        "{\"cpuMillis\":1,\"memoryMiB\":1073741825,\"pods\":1}",
        "{\"cpuMillis\":1,\"memoryMiB\":1,\"pods\":10000001}",
        "{\"cpuMillis\":-1,\"memoryMiB\":1,\"pods\":1}",
        "{\"cpuMillis\":1125899906842625,\"memoryMiB\":1,\"pods\":1}",
        "{\"cpuMillis\":1.5,\"memoryMiB\":1,\"pods\":1}",
        "{\"memoryMiB\":1,\"pods\":1}",
        "null",
        "[]",
        "{\"cpuMillis\":1,\"memoryMiB\":1,\"pods\":1,\"pods\":2}"
      };
      for (String a : absurd) {
        String c = "hx-h" + n;
        add("nonsense capacity", Topic.HOST_REPORTS, c, utf8(report(c, a, null, "")), null, null);
      }
      for (int size : new int[] {9_000, 500_000, 1_000_000}) {
        String c = "hx-h" + n;
        add(
            "long string in a host report",
            Topic.HOST_REPORTS,
            c,
            utf8(report(c, ok, null, ",\"pad\":" + q("p".repeat(size)))),
            null,
            null);
      }
      String[] extras = {
        ",\"zones\":[\"a\",null]",
        ",\"labels\":{\"a\":null}",
        ",\"nodes\":{\"ready\":5,\"total\":3}",
        ",\"nodes\":{\"ready\":1,\"total\":1000000}",
        ",\"tenantsRunning\":99999999999",
        ",\"capabilities\":{\"datastoreModes\":[\"etcd\"]}",
        ",\"taints\":[{\"key\":\"k\"}]",
        ",\"region\":\"eu-east\"",
        ",\"reportedAt\":\"2026-11-24T10:15:30\"",
        ",\"labels\":{\"k\\u202e\":\"v\"}"
      };
      for (String e : extras) {
        String c = "hx-h" + n;
        add(
            "invalid host report field",
            Topic.HOST_REPORTS,
            c,
            utf8(report(c, ok, null, e)),
            null,
            null);
      }
      for (int i = 0; i < 5; i++) {
        String c = "hx-h" + n;
        add(
            "host report keyed by another cluster",
            Topic.HOST_REPORTS,
            c + "-other",
            utf8(report(c, ok, null, "")),
            null,
            null);
        add(
            "invalid cluster id",
            Topic.HOST_REPORTS,
            "HX_H" + n,
            utf8(report("HX_H" + n, ok, null, "")),
            null,
            null);
      }
    }

    void hostCommands() {
      String[] bodies = {
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"CORDON\"}",
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"CORDON\",\"reason\":\"\"}",
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"CORDON\",\"reason\":\"   \"}",
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"CORDON\",\"reason\":\"ok\\u202etxet\"}",
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"CORDON\",\"reason\":\"a\\u0000b\"}",
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"UNCORDON\"}",
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"DRAIN!\",\"reason\":\"x\"}",
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"cordon\",\"reason\":\"x\"}",
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"CORDON\",\"reason\":\"x\",\"reason\":\"y\"}",
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"CORDON\",\"reason\":\""
            + "r".repeat(1025)
            + "\"}",
        "{\"v\":1,\"clusterId\":\"%s\",\"command\":\"CORDON\",\"reason\":\"upgrade\"}"
      };
      for (int round = 0; round < 3; round++) {
        for (String b : bodies) {
          // Never-reported hosts: even a well-formed command is refused ("unknown host").
          String c = "hx-c" + n;
          add("host command", Topic.HOST_COMMANDS, c, utf8(String.format(b, c)), null, null);
        }
      }
      String c = "hx-c" + n;
      add(
          "host command keyed by another cluster",
          Topic.HOST_COMMANDS,
          "hx-elsewhere",
          utf8(String.format(bodies[10], c)),
          null,
          null);
    }
  }
}
