package io.fleetplane.events.codec;

import static io.fleetplane.events.codec.Decoding.failure;
import static io.fleetplane.events.codec.Decoding.fields;
import static io.fleetplane.events.codec.Decoding.ok;
import static io.fleetplane.events.codec.Decoding.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Fixtures;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Op;
import io.fleetplane.events.TenantRequest;
import org.junit.jupiter.api.Test;

class TenantRequestCodecTest {

  private final TenantRequestCodec codec = Codecs.tenantRequest();

  @Test
  void roundTripsEveryField() {
    TenantRequest full = Fixtures.fullCreate();
    assertThat(ok(codec.decode(codec.encode(full)))).isEqualTo(full);
    TenantRequest resize = TenantRequest.resize("acme-prod", "r2", "large");
    assertThat(ok(codec.decode(codec.encode(resize)))).isEqualTo(resize);
    TenantRequest delete = TenantRequest.delete("acme-prod", "r3");
    assertThat(ok(codec.decode(codec.encode(delete)))).isEqualTo(delete);
  }

  @Test
  void aTrustingCodecReadsWhatTheRulesWouldNowRefuseButNotBrokenJson() {
    byte[] withdrawnPlan =
        utf8(
            "{\"v\":1,\"op\":\"CREATE\",\"tenantId\":\"acme\",\"requestId\":\"r1\","
                + "\"plan\":\"withdrawn\",\"region\":\"eu-west\"}");
    assertThat(codec.decode(withdrawnPlan).isOk()).isFalse();
    TenantRequest r = ok(TenantRequestCodec.trusting().decode(withdrawnPlan));
    assertThat(r.plan()).isEqualTo("withdrawn");
    assertThat(r.datastore().mode()).isEqualTo(DatastoreMode.DEDICATED_ETCD);

    assertThat(TenantRequestCodec.trusting().decode(utf8("{\"v\":1,\"op\":")).isOk()).isFalse();
    assertThat(
            TenantRequestCodec.trusting()
                .decode(utf8("{\"v\":1,\"op\":\"CREATE\",\"priority\":\"high\"}"))
                .isOk())
        .isFalse();
  }

  @Test
  void encodesEqualRequestsToEqualBytes() {
    assertThat(codec.encode(Fixtures.fullCreate())).isEqualTo(codec.encode(Fixtures.fullCreate()));
  }

  @Test
  void appliesCreateDefaultsDedicatedEtcdAndRunc() {
    TenantRequest r =
        ok(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":"acme","requestId":"r1","plan":"small","region":"eu-west"}
        """)));
    assertThat(r.datastore().mode()).isEqualTo(DatastoreMode.DEDICATED_ETCD);
    assertThat(r.isolation()).isEqualTo(Isolation.RUNC);
    assertThat(r.effectivePriority()).isZero();
  }

  @Test
  void reportsEveryProblemOfARequestAtOnce() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":"Acme_Prod","requestId":"r1","plan":"huge",
         "datastore":{"mode":"kine"},"isolation":"kata","region":"eu-west","priority":-5}
        """)));
    assertThat(f.kind()).isEqualTo(FailureKind.INVALID);
    assertThat(fields(f))
        .containsExactlyInAnyOrder(
            "tenantId", "plan", "datastore.databaseRef", "isolation", "priority");
    assertThat(f.reason())
        .contains("'Acme_Prod' is not a valid tenant id")
        .contains("unknown plan 'huge': known plans are crossplane-medium, large, medium, small")
        .contains("is required for kine")
        .contains("unknown value 'kata': expected gvisor or runc")
        .contains("must be between 0 and 1000000, got -5");
  }

  @Test
  void namesEachMissingFieldOfACreate() {
    Decoded.Failure<TenantRequest> f = failure(codec.decode(utf8("{\"v\":1,\"op\":\"CREATE\"}")));
    assertThat(fields(f)).containsExactlyInAnyOrder("tenantId", "requestId", "plan", "region");
  }

  @Test
  void refusesAnUnknownOp() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8("{\"v\":1,\"op\":\"UPSERT\",\"tenantId\":\"a\",\"requestId\":\"r\"}")));
    assertThat(f.problems())
        .singleElement()
        .hasToString("op: unknown value 'UPSERT': expected CREATE, UPDATE or DELETE");
  }

  @Test
  void refusesAnUnknownDatastoreMode() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":"a","requestId":"r","plan":"small","region":"eu",
         "datastore":{"mode":"mongodb"}}
        """)));
    assertThat(f.reason())
        .contains(
            "datastore.mode: unknown value 'mongodb': expected dedicated-etcd, shared-etcd or kine");
  }

  @Test
  void refusesAPasswordInTheKineDatabaseRef() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":"a","requestId":"r","plan":"small","region":"eu",
         "datastore":{"mode":"kine","databaseRef":"postgres://kine:s3cret@db:5432/a"}}
        """)));
    assertThat(f.reason()).contains("must not carry a password");
  }

  @Test
  void refusesATenantIdTooLongToBecomeANamespace() {
    String id = "a".repeat(57);
    Decoded.Failure<TenantRequest> f = failure(codec.decode(codec.encode(Fixtures.create(id))));
    assertThat(f.reason()).contains("1 to 56 lowercase letters");
    assertThat(ok(codec.decode(codec.encode(Fixtures.create("a".repeat(56)))))).isNotNull();
  }

  @Test
  void refusesAbsurdSizes() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":"a","requestId":"r","plan":"small","region":"eu",
         "storageGi":1000000000,"priority":99999999999}
        """)));
    assertThat(f.reason())
        .contains("storageGi: must be between 1 and 4096 GiB, got 1000000000")
        .contains("priority: must be between");
  }

  @Test
  void saysWhichTypeAFieldShouldHave() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":42,"requestId":"r","plan":["small"],"region":"eu",
         "highAvailability":"yes","storageGi":2.5}
        """)));
    assertThat(f.reason())
        .contains("tenantId: must be a string, got the number 42")
        .contains("plan: must be a string, got an array")
        .contains("highAvailability: must be true or false, got the string 'yes'")
        .contains("storageGi: must be a whole number, got 2.5");
    // A field of the wrong type is not also reported as missing.
    assertThat(fields(f)).doesNotHaveDuplicates();
  }

  @Test
  void refusesAnUpdateThatTriesToChangeWhatOnlyARecreateCan() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"UPDATE","tenantId":"a","requestId":"r","plan":"large","region":"us-east",
         "isolation":"runc"}
        """)));
    assertThat(fields(f)).containsExactlyInAnyOrder("region", "isolation");
    assertThat(f.reason())
        .contains("cannot be changed by UPDATE: delete the tenant and create it again");
  }

  @Test
  void refusesAnUpdateThatChangesNothing() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8("{\"v\":1,\"op\":\"UPDATE\",\"tenantId\":\"a\",\"requestId\":\"r\"}")));
    assertThat(f.reason()).contains("UPDATE changes nothing");
  }

  @Test
  void acceptsADeleteWithOnlyItsIdsAndIgnoresTheRest() {
    TenantRequest r =
        ok(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"DELETE","tenantId":"a","requestId":"r","plan":"whatever","colour":"blue"}
        """)));
    assertThat(r.op()).isEqualTo(Op.DELETE);
  }

  @Test
  void refusesAnUnknownSchemaVersionWithoutGuessing() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8("{\"v\":2,\"op\":\"CREATE\",\"tenantId\":\"a\",\"requestId\":\"r\"}")));
    assertThat(f.kind()).isEqualTo(FailureKind.UNSUPPORTED_VERSION);
    assertThat(f.reason())
        .contains("schema version 2 is not supported; this decoder reads version 1");
  }

  @Test
  void requiresTheSchemaVersion() {
    Decoded.Failure<TenantRequest> f =
        failure(codec.decode(utf8("{\"op\":\"DELETE\",\"tenantId\":\"a\",\"requestId\":\"r\"}")));
    assertThat(f.problems())
        .singleElement()
        .hasToString("v: is required: the schema version, 1 for this decoder");
  }

  @Test
  void refusesAnOversizedPayloadBeforeParsingIt() {
    byte[] big = new byte[codec.maxBytes() + 1];
    java.util.Arrays.fill(big, (byte) '{');
    Decoded.Failure<TenantRequest> f = failure(codec.decode(big));
    assertThat(f.kind()).isEqualTo(FailureKind.TOO_LARGE);
    assertThat(f.reason()).contains("65,537 bytes; a tenant request may be at most 65,536 bytes");
  }

  @Test
  void saysWhereJsonIsMalformed() {
    Decoded.Failure<TenantRequest> f = failure(codec.decode(utf8("{\"v\":1,\n\"op\": CREATE}")));
    assertThat(f.kind()).isEqualTo(FailureKind.MALFORMED_JSON);
    assertThat(f.reason()).contains("line 2");
  }

  @Test
  void refusesEmptyNonObjectAndTrailingInput() {
    assertThat(failure(codec.decode(new byte[0])).kind()).isEqualTo(FailureKind.EMPTY);
    assertThat(failure(codec.decode(utf8("[1,2]"))).reason())
        .contains("must be a JSON object, got an array");
    assertThat(failure(codec.decode(utf8("{\"v\":1} {}"))).reason())
        .contains("unexpected content after the end");
  }

  @Test
  void checksLabelsAndTolerations() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":"a","requestId":"r","plan":"small","region":"eu",
         "requiredLabels":{"-bad":"x","ok":"not ok!"},
         "tolerations":[{"key":"dedicated","effect":"Sometimes"},{"value":"v"}]}
        """)));
    assertThat(fields(f))
        .contains(
            "requiredLabels", "requiredLabels.ok", "tolerations[0].effect", "tolerations[1].key");
  }

  @Test
  void keepsEachListElementsIndexWhenAnEarlierOneIsBad() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":"a","requestId":"r","plan":"small","region":"eu",
         "tolerations":[{"value":"x"},{"key":"Bad Key!"},7]}
        """)));
    assertThat(fields(f)).contains("tolerations[0].key", "tolerations[1].key", "tolerations[2]");
  }

  @Test
  void reportsABadLabelKeyBesideABadLabelValue() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":"a","requestId":"r","plan":"small","region":"eu",
         "requiredLabels":{"ok":5,"Bad Key!":"x"}}
        """)));
    assertThat(fields(f)).contains("requiredLabels.ok", "requiredLabels");
  }

  @Test
  void readsNullAsAbsentForObjectsToo() {
    TenantRequest r =
        ok(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":"a","requestId":"r","plan":"small","region":"eu",
         "datastore":null,"tolerations":null,"requiredLabels":null,"priority":null}
        """)));
    assertThat(r.datastore().mode()).isEqualTo(io.fleetplane.events.DatastoreMode.DEDICATED_ETCD);
  }

  @Test
  void namesTheRealRangeOfANumberBeyondAnInt() {
    Decoded.Failure<TenantRequest> f =
        failure(
            codec.decode(
                utf8(
                    """
        {"v":1,"op":"CREATE","tenantId":"a","requestId":"r","plan":"small","region":"eu",
         "priority":5000000000,"storageGi":-9000000000}
        """)));
    assertThat(f.reason())
        .contains("priority: must be between 0 and 1000000, got 5000000000")
        .contains("storageGi: must be between 1 and 4096, got -9000000000");
    Decoded.Failure<TenantRequest> v =
        failure(codec.decode(utf8("{\"v\":99999999999,\"op\":\"DELETE\"}")));
    assertThat(v.kind()).isEqualTo(FailureKind.UNSUPPORTED_VERSION);
  }
}
