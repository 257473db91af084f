/**
 * Limits the embedded broker enforces on each client connection, in the socket layer (Aedes has no
 * packet size limit and, by default, lets one client that stops reading hold up every delivery):
 *
 *  - `PacketHeaderReader` follows the MQTT fixed headers (packet type, remaining length) as the bytes
 *    stream in, so a packet that announces more than `maxPacketSize` is refused from its header,
 *    before its body is read, let alone buffered;
 *  - `limitPending` caps what waits in memory to be written to a client: Aedes waits for a socket to
 *    drain before it finishes a delivery, and a frozen subscriber then holds up the broker's shared
 *    delivery slots and so every other client. Writes are never reported as blocked; a client whose
 *    backlog passes the limit is disconnected instead.
 */
import type { Duplex } from "node:stream";

/** The MQTT packet types, by the value of the fixed header's high nibble. */
const PACKET_TYPES = [
  "reserved",
  "CONNECT",
  "CONNACK",
  "PUBLISH",
  "PUBACK",
  "PUBREC",
  "PUBREL",
  "PUBCOMP",
  "SUBSCRIBE",
  "SUBACK",
  "UNSUBSCRIBE",
  "UNSUBACK",
  "PINGREQ",
  "PINGRESP",
  "DISCONNECT",
  "AUTH",
] as const;

export function packetTypeName(type: number): string {
  return PACKET_TYPES[type & 0x0f] ?? "unknown";
}

export interface OversizePacket {
  /** The packet type name (PUBLISH...). */
  type: string;
  /** The remaining length it announced, in bytes. */
  size: number;
}

/**
 * Reads the fixed header of every MQTT packet of one direction of a connection, skipping the bodies
 * without looking at them (nothing is copied or kept). `feed` returns the first packet announcing a
 * remaining length over the limit, and reads nothing more after it, or after a malformed length
 * (the MQTT parser refuses that one itself).
 */
export class PacketHeaderReader {
  private readonly max: number;
  /** No limit (the gateway's own clients). */
  exempt = false;
  /** Bytes of the current packet's body still to skip. */
  private skip = 0;
  /** Bytes of the current fixed header read so far (0: the next byte starts a packet). */
  private headerBytes = 0;
  private type = 0;
  private length = 0;
  private multiplier = 1;
  private stopped = false;

  constructor(maxPacketSize: number) {
    this.max = maxPacketSize;
  }

  feed(chunk: Uint8Array): OversizePacket | undefined {
    if (this.stopped) return undefined;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.skip > 0) {
        const step = Math.min(this.skip, n - i);
        this.skip -= step;
        i += step;
        continue;
      }
      const byte = chunk[i++]!;
      if (this.headerBytes === 0) {
        this.type = byte >> 4;
        this.length = 0;
        this.multiplier = 1;
        this.headerBytes = 1;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.headerBytes++;
      if ((byte & 0x80) !== 0) {
        // At most four length bytes: a continuation bit on the fourth is a malformed packet.
        if (this.headerBytes > 4) {
          this.stopped = true;
          return undefined;
        }
        continue;
      }
      this.headerBytes = 0;
      if (this.length > this.max && !this.exempt) {
        this.stopped = true;
        return { type: packetTypeName(this.type), size: this.length };
      }
      this.skip = this.length;
    }
    return undefined;
  }
}

export interface PendingLimit {
  /** Bytes; the client is disconnected when more than this waits to be written to it. */
  maxPendingBytes: number;
  /** Keep Node's back-pressure instead (the gateway's own clients), so nothing is ever cut off. */
  exempt(): boolean;
  /** Called once, just before the connection is destroyed, with the bytes waiting. */
  onExceeded(pending: number): void;
}

/**
 * Makes `conn.write` report success while the bytes waiting to be written stay within the limit (so
 * Aedes never waits on this client), and destroys the connection when they pass it.
 */
export function limitPending(conn: Duplex, limit: PendingLimit): void {
  const write = conn.write;
  let exceeded = false;
  const guarded = (...args: unknown[]): boolean => {
    const flowing = Reflect.apply(write, conn, args) as boolean;
    if (flowing || conn.destroyed || limit.exempt()) return flowing;
    const pending = conn.writableLength;
    if (pending <= limit.maxPendingBytes) return true;
    if (!exceeded) {
      exceeded = true;
      limit.onExceeded(pending);
      conn.destroy();
    }
    return false;
  };
  conn.write = guarded as Duplex["write"];
}
