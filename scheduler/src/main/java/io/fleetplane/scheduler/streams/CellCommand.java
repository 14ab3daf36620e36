package io.fleetplane.scheduler.streams;

import io.fleetplane.events.HostCommand;
import io.fleetplane.events.HostReport;
import io.fleetplane.events.TenantRequest;
import io.fleetplane.events.codec.Codecs;
import io.fleetplane.events.codec.EventCodec;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the intake stage sends a cell, on the internal repartition topic keyed by cell: a validated
 * tenant request, a host report or a host command. On the wire: one kind byte, then the event's own
 * JSON.
 */
public sealed interface CellCommand {

  /**
   * A request the intake accepted, and {@code json}, the bytes it was read from: they are forwarded
   * as they are rather than written again.
   */
  record Tenant(TenantRequest request, byte[] json) implements CellCommand {}

  record Report(HostReport report) implements CellCommand {}

  record Command(HostCommand command) implements CellCommand {}

  /**
   * The envelope's serde. Requests travel as the bytes the intake accepted, and are read back
   * without checking the catalogue's rules again: the intake checked them, and a plan withdrawn
   * since must not make an accepted request unreadable.
   */
  static Serde<CellCommand> serde() {
    io.fleetplane.events.codec.TenantRequestCodec accepted =
        io.fleetplane.events.codec.TenantRequestCodec.trusting();
    Serializer<CellCommand> ser =
        (topic, c) -> {
          if (c instanceof Tenant t) {
            return framed('T', t.json());
          } else if (c instanceof Report r) {
            return framed('R', Codecs.HOST_REPORT.encode(r.report()));
          }
          return framed('C', Codecs.HOST_COMMAND.encode(((Command) c).command()));
        };
    Deserializer<CellCommand> de =
        (topic, bytes) -> {
          byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
          return switch (bytes[0]) {
            case 'T' -> new Tenant(decode(accepted, body), body);
            case 'R' -> new Report(decode(Codecs.HOST_REPORT, body));
            case 'C' -> new Command(decode(Codecs.HOST_COMMAND, body));
            default -> throw new IllegalStateException("unknown cell command kind " + bytes[0]);
          };
        };
    return Serdes.serdeFrom(ser, de);
  }

  private static byte[] framed(char kind, byte[] body) {
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) kind;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  /** Written by our own intake from a value it had decoded: a failure here is a bug. */
  private static <T> T decode(EventCodec<T, ?> codec, byte[] body) {
    return codec.decode(body).orElseThrow();
  }
}
