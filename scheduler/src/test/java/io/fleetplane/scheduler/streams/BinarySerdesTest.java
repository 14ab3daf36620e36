package io.fleetplane.scheduler.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetplane.events.Datastore;
import io.fleetplane.events.DatastoreMode;
import io.fleetplane.events.Dimension;
import io.fleetplane.events.Isolation;
import io.fleetplane.events.Problem;
import io.fleetplane.events.Resources;
import io.fleetplane.events.TenantEvent;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.scheduler.cell.DirectoryEntry;
import io.fleetplane.scheduler.cell.TenantRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class BinarySerdesTest {

  private final Serde<TenantRecord> records = BinarySerdes.tenantRecords();
  private final Serde<DirectoryEntry> directory = BinarySerdes.directoryEntries();

  private static final TenantRequest SPEC =
      TenantRequest.create(
          "acme-prod",
          "req-1",
          "medium",
          "eu-west",
          Datastore.of(DatastoreMode.DEDICATED_ETCD),
          Isolation.GVISOR);

  private static TenantEvent event(int i) {
    return new TenantEvent(
        "acme-prod",
        TenantEvent.Type.PENDING,
        TenantEvent.Source.SCHEDULER,
        null,
        "req-" + i,
        i,
        "no host takes it: é ✓ " + i,
        List.of(new Problem("plan", "too big")),
        Map.of("cpu", 3L, "taints", 1L),
        Instant.parse("2026-11-24T10:15:30.123Z").plusMillis(i));
  }

  private static TenantRecord placedWithOneEvent() {
    return new TenantRecord(
        "acme-prod",
        SPEC,
        TenantRecord.Status.PLACED,
        "host-7",
        1,
        42,
        new Resources(4000, 8192, 12),
        "req-1",
        List.of(event(1)));
  }

  private static TenantRecord waiting() {
    return new TenantRecord(
        "acme-prod",
        SPEC,
        TenantRecord.Status.PENDING,
        null,
        0,
        0,
        Resources.ZERO,
        null,
        List.of());
  }

  private TenantRecord roundTrip(TenantRecord r) {
    return records.deserializer().deserialize("t", records.serializer().serialize("t", r));
  }

  @Test
  void aPlacedTenantRecordWithItsEventsReadsBackEqual() {
    List<TenantEvent> events = new ArrayList<>();
    for (int i = 0; i < TenantRecord.EVENTS_KEPT; i++) {
      events.add(event(i));
    }
    TenantRecord placed =
        new TenantRecord(
            "acme-prod",
            SPEC,
            TenantRecord.Status.PLACED,
            "host-7",
            3,
            123_456_789_012L,
            new Resources(4000, 8192, 12),
            "req-1",
            events);

    assertThat(roundTrip(placed)).isEqualTo(placed);
  }

  @Test
  void aWaitingTenantWithoutHostOrEventsReadsBackEqual() {
    TenantRecord waiting = waiting();

    assertThat(roundTrip(waiting)).isEqualTo(waiting);
  }

  @Test
  void aNewTenantsRecordKeepsTheBytesItsRequestWasReadFrom() {
    byte[] json =
        ("{\"v\":1, \"op\":\"CREATE\", \"tenantId\":\"acme-prod\", \"requestId\":\"req-1\","
                + " \"plan\":\"medium\", \"region\":\"eu-west\", \"future\":\"ignored\"}")
            .getBytes(StandardCharsets.UTF_8);
    CellCommand.Tenant command =
        (CellCommand.Tenant)
            CellCommand.serde()
                .deserializer()
                .deserialize("t", CellCommand.serde().serializer().serialize("t", tenant(json)));
    TenantRecord fresh =
        new TenantRecord(
            "acme-prod",
            command.request(),
            TenantRecord.Status.PENDING,
            null,
            0,
            7,
            Resources.ZERO,
            "req-1",
            List.of(),
            command.json()); // the accepted bytes travel in the record
    byte[] written = records.serializer().serialize("t", fresh);

    assertThat(new String(written, StandardCharsets.UTF_8)).contains("\"future\":\"ignored\"");
    assertThat(records.deserializer().deserialize("t", written)).isEqualTo(fresh);
  }

  private static CellCommand tenant(byte[] json) {
    return new CellCommand.Tenant(
        io.fleetplane.events.codec.TenantRequestCodec.trusting().decode(json).orElseThrow(), json);
  }

  @Test
  void aTenantRecordIsSmallerThanItsJson() {
    TenantRecord placed = placedWithOneEvent();
    byte[] binary = records.serializer().serialize("t", placed);
    byte[] json = JsonSerde.of(TenantRecord.class).serializer().serialize("t", placed);

    assertThat(binary.length).isLessThan(json.length);
  }

  @Test
  void aTenantRecordWithStorageReadsBackEqual() {
    TenantRecord r = placedWithOneEvent();
    TenantRecord withStorage =
        new TenantRecord(
            r.tenantId(),
            r.spec(),
            r.status(),
            r.clusterId(),
            r.generation(),
            r.seq(),
            r.resources().with(Dimension.STORAGE, 24),
            r.requestId(),
            r.events());

    assertThat(roundTrip(withStorage).resources().storageGiB()).isEqualTo(24);
    assertThat(roundTrip(withStorage)).isEqualTo(withStorage);
  }

  @Test
  void aTenantRecordWrittenBeforeStorageReadsAsHavingCommittedNone() throws Exception {
    // Format 1 as the version before storage wrote it: three amounts, no count.
    TenantRecord r = placedWithOneEvent();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    out.writeByte(1);
    writeString(out, r.tenantId());
    byte[] spec = io.fleetplane.events.codec.TenantRequestCodec.trusting().encode(r.spec());
    out.writeInt(spec.length);
    out.write(spec);
    out.writeByte(r.status().ordinal());
    writeString(out, r.clusterId());
    out.writeLong(r.generation());
    out.writeLong(r.seq());
    out.writeLong(4000);
    out.writeLong(8192);
    out.writeLong(12);
    writeString(out, r.requestId());
    out.writeInt(1);
    byte[] event = io.fleetplane.events.codec.Codecs.TENANT_EVENT.encode(r.events().get(0));
    out.writeInt(event.length);
    out.write(event);

    TenantRecord back = records.deserializer().deserialize("t", bytes.toByteArray());

    assertThat(back.resources()).isEqualTo(new Resources(4000, 8192, 12));
    assertThat(back.resources().storageGiB()).isZero();
    assertThat(back).isEqualTo(r);
  }

  private static void writeString(java.io.DataOutputStream out, String s) throws Exception {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  @Test
  void aTenantRecordWrittenAsJsonByAnEarlierVersionIsStillRead() {
    TenantRecord placed = placedWithOneEvent();
    byte[] json = JsonSerde.of(TenantRecord.class).serializer().serialize("t", placed);

    assertThat(records.deserializer().deserialize("t", json)).isEqualTo(placed);
    // As JSON from before storage: its amounts without storageGiB, read as none committed.
    byte[] before =
        new String(json, StandardCharsets.UTF_8)
            .replace(",\"storageGiB\":0", "")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(new String(before, StandardCharsets.UTF_8)).doesNotContain("storageGiB");
    assertThat(records.deserializer().deserialize("t", before)).isEqualTo(placed);
  }

  @Test
  void directoryEntriesReadBackEqualIncludingAnUnknownCellAndIncarnation() {
    for (DirectoryEntry e :
        List.of(
            DirectoryEntry.NONE,
            DirectoryEntry.of("eu-west", true, "create-1"),
            DirectoryEntry.of("eu-west", false, "create-2"))) {
      assertThat(
              directory.deserializer().deserialize("t", directory.serializer().serialize("t", e)))
          .isEqualTo(e);
    }
  }

  @Test
  void entriesOfEarlierVersionsKeepTheirRequestIdsAsLegacy() {
    DirectoryEntry fromJson =
        directory
            .deserializer()
            .deserialize(
                "t",
                "{\"cell\":\"eu-west\",\"live\":true,\"recentRequestIds\":[\"a\"]}"
                    .getBytes(StandardCharsets.UTF_8));
    // Version 1 binary: format 1, the cell, live, then the count and each id (lengths as ints).
    java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(64);
    v1.put((byte) 1).putInt(7).put("eu-west".getBytes(StandardCharsets.UTF_8)).put((byte) 1);
    v1.putInt(2).putInt(1).put((byte) 'a').putInt(2).put("bc".getBytes(StandardCharsets.UTF_8));
    byte[] v1Bytes = java.util.Arrays.copyOf(v1.array(), v1.position());

    assertThat(fromJson).isEqualTo(new DirectoryEntry("eu-west", true, null, List.of("a")));
    assertThat(directory.deserializer().deserialize("t", v1Bytes))
        .isEqualTo(new DirectoryEntry("eu-west", true, null, List.of("a", "bc")));
  }

  @Test
  void aCorruptValueIsNamedAsStateCorruptionNotAnArrayIndexError() {
    byte[] truncated = java.util.Arrays.copyOf(records.serializer().serialize("t", waiting()), 20);

    assertThatThrownBy(() -> records.deserializer().deserialize("t", truncated))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("corrupt tenant record in a state store");
    assertThatThrownBy(() -> directory.deserializer().deserialize("t", new byte[] {9, 1}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unknown format 9");
  }

  @Test
  void nullIsATombstoneBothWays() {
    assertThat(records.serializer().serialize("t", null)).isNull();
    assertThat(records.deserializer().deserialize("t", null)).isNull();
    assertThat(directory.serializer().serialize("t", null)).isNull();
    assertThat(directory.deserializer().deserialize("t", null)).isNull();
  }
}
