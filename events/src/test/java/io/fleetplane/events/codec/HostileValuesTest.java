package io.fleetplane.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.Names;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One hostile value per class of refusal, and the exact reason a person reads: what is wrong,
 * where, with the real limit, in our words (no parser vocabulary), with quoted input escaped.
 */
class HostileValuesTest {

  private static final String CREATE =
      "\"v\":1,\"op\":\"CREATE\",\"tenantId\":\"acme\",\"requestId\":\"r1\",\"region\":\"eu-west\"";

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of(
            "a field twice",
            "{" + CREATE + ",\"plan\":\"small\",\"plan\":\"large\"}",
            "malformed JSON: plan: appears more than once (line 1, column 97): a field may appear"
                + " only once in an object"),
        Arguments.of(
            "v twice",
            "{\"v\":1,\"v\":2}",
            "malformed JSON: v: appears more than once (line 1, column 11): a field may appear only"
                + " once in an object"),
        Arguments.of(
            "a field twice in a nested object",
            "{"
                + CREATE
                + ",\"plan\":\"small\",\"datastore\":{\"mode\":\"kine\",\"mode\":\"kine\"}}",
            "malformed JSON: mode: appears more than once (line 1, column 124): a field may appear"
                + " only once in an object"),
        Arguments.of(
            "a long string in an unknown field",
            "{" + CREATE + ",\"plan\":\"small\",\"notes\":\"" + "x".repeat(60_000) + "\"}",
            "invalid fields: notes: holds a string longer than 8,192 characters; strings may be at"
                + " most that long"),
        Arguments.of(
            "a long string deep in an unknown field",
            "{" + CREATE + ",\"plan\":\"small\",\"x\":{\"y\":[1,\"" + "x".repeat(9000) + "\"]}}",
            "invalid fields: x.y[1]: holds a string of 9,000 characters; strings may be at most"
                + " 8,192"),
        Arguments.of(
            "null in a map",
            "{" + CREATE + ",\"plan\":\"small\",\"requiredLabels\":{\"a\":null}}",
            "invalid fields: requiredLabels.a: must be a string, got null: leave the entry out"
                + " instead"),
        Arguments.of(
            "a local time",
            "{" + CREATE + ",\"plan\":\"small\",\"requestedAt\":\"2026-11-24T10:15:30\"}",
            "invalid fields: requestedAt: must be an ISO-8601 time with an offset, such as"
                + " 2026-11-24T10:15:30Z or 2026-11-24T11:15:30+01:00, got '2026-11-24T10:15:30'"),
        Arguments.of(
            "a bidi override echoed",
            "{" + CREATE + ",\"plan\":\"sm\u202Eall\"}",
            "invalid fields: plan: unknown plan 'sm\\u202eall': known plans are crossplane-medium,"
                + " large, medium, small"),
        Arguments.of(
            "a zero-width space in the tenant id",
            "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\"ac\u200Bme\",\"requestId\":\"r1\"}",
            "invalid fields: tenantId: 'ac\\u200bme' is not a valid tenant id: it becomes the"
                + " namespace tenant-<id>, so use 1 to 56 lowercase letters, digits and '-',"
                + " starting and ending with a letter or digit"),
        Arguments.of(
            "a control character in a request id",
            "{\"v\":1,\"op\":\"DELETE\",\"tenantId\":\"acme\",\"requestId\":\"r\\u0007x\"}",
            "invalid fields: requestId: must be printable ASCII without spaces: 'r\\u0007x' has"
                + " \\u0007 at 1"),
        Arguments.of(
            "a password in a databaseRef",
            "{"
                + CREATE
                + ",\"plan\":\"small\",\"datastore\":{\"mode\":\"kine\","
                + "\"databaseRef\":\"postgres://kine:hunter2@db:5432/acme\"}}",
            "invalid fields: datastore.databaseRef: must not carry a password (user:password@):"
                + " events are stored in Kafka, so a credential never travels in one; name a"
                + " Secret in datastore.credentialsSecret instead (see events/README.md)"),
        Arguments.of(
            "a token parameter in a databaseRef",
            "{"
                + CREATE
                + ",\"plan\":\"small\",\"datastore\":{\"mode\":\"kine\","
                + "\"databaseRef\":\"postgres://db:5432/acme?sslmode=require&SSL-Key=/x\"}}",
            "invalid fields: datastore.databaseRef: must not carry the parameter 'SSL-Key', which"
                + " holds a secret: events are stored in Kafka, so a credential never travels in"
                + " one; name a Secret in datastore.credentialsSecret instead (see"
                + " events/README.md)"),
        Arguments.of(
            "truncated JSON",
            "{\"v\":1,\"op\":",
            "malformed JSON: the value ends before its JSON is complete (line 1, column 13)"),
        Arguments.of(
            "a comment",
            "{/* hi */\"v\":1}",
            "malformed JSON: unexpected character '/' (U+002F): comments are not JSON (line 1,"
                + " column 2)"),
        Arguments.of(
            "NaN", "{\"v\":NaN}", "malformed JSON: 'NaN' is not a JSON number (line 1, column 9)"),
        Arguments.of(
            "a raw newline inside a string",
            "{\"v\":1,\"op\":\"CRE\nATE\"}",
            "malformed JSON: a control character U+000A inside a string: write it as an escape"
                + " (\\n, \\t, \\u0000) (line 1, column 17)"),
        Arguments.of(
            "a mismatched bracket",
            "{\"v\":[1}",
            "malformed JSON: '}' closes what needs ']' (line 1, column 8)"),
        Arguments.of(
            "an unknown word",
            "{\"v\":1,\"op\":CREATE}",
            "malformed JSON: 'CREATE' is not JSON: expected a string, number, array, object, true,"
                + " false or null (line 1, column 13)"),
        Arguments.of(
            "nesting too deep",
            "{\"v\":1,\"x\":" + "[".repeat(20) + "]".repeat(20) + "}",
            "malformed JSON: objects and arrays are nested more than 16 deep"),
        Arguments.of(
            "a number too long",
            "{\"v\":1,\"priority\":" + "9".repeat(40) + "}",
            "malformed JSON: a number has more than 32 digits"),
        Arguments.of(
            "a number beyond the range",
            "{" + CREATE + ",\"plan\":\"small\",\"priority\":99999999999}",
            "invalid fields: priority: must be between 0 and 1000000, got 99999999999"),
        Arguments.of(
            "an unsupported version",
            "{\"v\":2000000}",
            "unsupported schema version: v: schema version 2,000,000 is not supported; this decoder"
                + " reads version 1"),
        Arguments.of(
            "an incarnation on a CREATE",
            "{" + CREATE + ",\"plan\":\"small\",\"incarnation\":\"r0\"}",
            "invalid fields: incarnation: is for UPDATE and DELETE: a CREATE starts an"
                + " incarnation, its requestId names it"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void refusesAHostileRequestWithItsReason(String what, String json, String reason) {
    Decoded<?> d = Codecs.tenantRequest().decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(d).isInstanceOf(Decoded.Failure.class);
    assertThat(((Decoded.Failure<?>) d).reason()).isEqualTo(reason);
  }

  static Stream<Arguments> encodings() {
    byte[] json = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
    byte[] bom = new byte[json.length + 3];
    bom[0] = (byte) 0xEF;
    bom[1] = (byte) 0xBB;
    bom[2] = (byte) 0xBF;
    System.arraycopy(json, 0, bom, 3, json.length);
    return Stream.of(
        Arguments.of(
            "a UTF-8 byte-order mark",
            bom,
            "not UTF-8: starts with a UTF-8 byte-order mark (EF BB BF): send UTF-8 without one"),
        Arguments.of(
            "UTF-16 with a byte-order mark",
            "{\"v\":1}".getBytes(StandardCharsets.UTF_16),
            "not UTF-8: starts with a UTF-16 byte-order mark: values must be UTF-8"),
        Arguments.of(
            "UTF-16 without one",
            "{\"v\":1}".getBytes(StandardCharsets.UTF_16LE),
            "not UTF-8: has a NUL byte at offset 1, as UTF-16 or UTF-32 text does: values must be"
                + " UTF-8"),
        Arguments.of(
            "an overlong form, which the parser would read as '/'",
            new byte[] {
              '{',
              '"',
              'v',
              '"',
              ':',
              '1',
              ',',
              '"',
              'x',
              '"',
              ':',
              '"',
              (byte) 0xC0,
              (byte) 0xAF,
              '"',
              '}'
            },
            "not UTF-8: is not valid UTF-8: byte 0xC0 at offset 12 does not belong to a"
                + " character"),
        Arguments.of(
            "a byte that is not UTF-8",
            new byte[] {'{', '"', 'v', '"', ':', '"', (byte) 0x80, '"', '}'},
            "not UTF-8: is not valid UTF-8 (line 1, column 8): byte 0x80 cannot start a"
                + " character"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void refusesEverythingButUtf8OnEveryTopic(String what, byte[] bytes, String reason) {
    for (EventCodec<?, ?> codec :
        new EventCodec<?, ?>[] {
          Codecs.tenantRequest(),
          Codecs.HOST_REPORT,
          Codecs.HOST_COMMAND,
          Codecs.PLACEMENT,
          Codecs.TENANT_EVENT
        }) {
      Decoded<?> d = codec.decode(bytes);
      assertThat(d).as(codec.typeName()).isInstanceOf(Decoded.Failure.class);
      assertThat(((Decoded.Failure<?>) d).reason()).as(codec.typeName()).isEqualTo(reason);
    }
  }

  static Stream<Arguments> hosts() {
    String report =
        "\"v\":1,\"clusterId\":\"h1\",\"region\":\"eu-west\",\"reportedAt\":\"2026-11-24T10:00:00Z\"";
    return Stream.of(
        Arguments.of(
            "more unmanaged use than allocatable",
            "{"
                + report
                + ",\"allocatable\":{\"cpuMillis\":1000,\"memoryMiB\":1024,\"pods\":10},"
                + "\"unmanagedUsed\":{\"cpuMillis\":2000,\"memoryMiB\":512,\"pods\":11}}",
            "invalid fields: unmanagedUsed.cpuMillis: 2,000 is more than allocatable.cpuMillis"
                + " (1,000): pods outside the fleet cannot use more than the ready nodes offer;"
                + " unmanagedUsed.pods: 11 is more than allocatable.pods (10): pods outside the"
                + " fleet cannot use more than the ready nodes offer"),
        Arguments.of(
            "cpu beyond any host",
            "{"
                + report
                + ",\"allocatable\":{\"cpuMillis\":1125899906842625,\"memoryMiB\":1,\"pods\":1}}",
            "invalid fields: allocatable.cpuMillis: must be between 0 and 100,000,000, got"
                + " 1,125,899,906,842,625"),
        Arguments.of(
            "a megabyte string in an unknown field",
            "{"
                + report
                + ",\"allocatable\":{\"cpuMillis\":1,\"memoryMiB\":1,\"pods\":1},\"pad\":\""
                + "p".repeat(1_000_000)
                + "\"}",
            "invalid fields: pad: holds a string longer than 8,192 characters; strings may be at"
                + " most that long"),
        Arguments.of(
            "null in a zone list",
            "{"
                + report
                + ",\"allocatable\":{\"cpuMillis\":1,\"memoryMiB\":1,\"pods\":1},\"zones\":[\"a\",null]}",
            "invalid fields: zones[1]: must be a string, got null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void refusesAHostileHostReportWithItsReason(String what, String json, String reason) {
    Decoded<?> d = Codecs.HOST_REPORT.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(d).isInstanceOf(Decoded.Failure.class);
    assertThat(((Decoded.Failure<?>) d).reason()).isEqualTo(reason);
  }

  static Stream<Arguments> commands() {
    String cordon = "\"v\":1,\"clusterId\":\"h1\",\"command\":\"CORDON\"";
    return Stream.of(
        Arguments.of(
            "no reason",
            "{" + cordon + "}",
            "invalid fields: reason: is required: why," + " for the record"),
        Arguments.of(
            "a blank reason",
            "{" + cordon + ",\"reason\":\"  \"}",
            "invalid fields: reason: is empty: say why, for the record (e.g. 'kernel upgrade,"
                + " ticket OPS-1234')"),
        Arguments.of(
            "a reason that hides text",
            "{" + cordon + ",\"reason\":\"ok\u202Etxet\"}",
            "invalid fields: reason: has control, bidi or invisible characters: 'ok\\u202etxet';"
                + " write plain text"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void refusesAHostCommandWithoutAReadableReason(String what, String json, String reason) {
    Decoded<?> d = Codecs.HOST_COMMAND.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(d).isInstanceOf(Decoded.Failure.class);
    assertThat(((Decoded.Failure<?>) d).reason()).isEqualTo(reason);
  }

  @org.junit.jupiter.api.Test
  void escapesWhatWouldHideOrReorderText() {
    assertThat(Names.clip("a\u202Eb\u200Bc\u0000d\\e\u2028f\uFEFF"))
        .isEqualTo("a\\u202eb\\u200bc\\u0000d\\\\e\\u2028f\\ufeff");
    assertThat(Names.clip("plain text, é and 日本")).isEqualTo("plain text, é and 日本");
    assertThat(Names.clip("x".repeat(100))).hasSize(64).endsWith("...");
  }
}
