/**
 * MQTT 3.1.1 by hand, for clients that misbehave on purpose: a raw TCP socket that sends CONNECT,
 * SUBSCRIBE and PUBLISH packets (or only a PUBLISH header announcing a huge body), and can stop
 * reading altogether.
 */
import net from "node:net";
import { onCleanup } from "../bridge/gateway.js";

/** The remaining-length varint of MQTT. */
export function remainingLength(n: number): Buffer {
  const out: number[] = [];
  let x = n;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 0x80;
    out.push(b);
  } while (x > 0);
  return Buffer.from(out);
}

function str(s: string): Buffer {
  const b = Buffer.from(s, "utf8");
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

function packet(first: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([first]), remainingLength(body.length), body]);
}

/** CONNECT, clean session, no keepalive (the broker never drops us for silence). */
export function connectPacket(clientId: string, username?: string, password?: string): Buffer {
  const flags = 0x02 | (username === undefined ? 0 : 0x80) | (password === undefined ? 0 : 0x40);
  const body = Buffer.concat([
    str("MQTT"),
    Buffer.from([4, flags, 0, 0]),
    str(clientId),
    ...(username === undefined ? [] : [str(username)]),
    ...(password === undefined ? [] : [str(password)]),
  ]);
  return packet(0x10, body);
}

export function subscribePacket(id: number, topic: string, qos = 0): Buffer {
  const pid = Buffer.alloc(2);
  pid.writeUInt16BE(id);
  return packet(0x82, Buffer.concat([pid, str(topic), Buffer.from([qos])]));
}

/** A QoS 0 PUBLISH. */
export function publishPacket(topic: string, payload: Buffer | string): Buffer {
  return packet(0x30, Buffer.concat([str(topic), Buffer.from(payload)]));
}

export class RawClient {
  readonly socket: net.Socket;
  /** Our port (kept: the socket forgets it once closed). */
  readonly localPort: number;
  private received = Buffer.alloc(0);
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    this.localPort = socket.localPort ?? 0;
    socket.on("data", (d: Buffer) => {
      this.received = Buffer.concat([this.received, d]);
    });
    socket.on("close", () => {
      this.closed = true;
    });
    socket.on("error", () => {});
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => {
        s.off("error", reject);
        const c = new RawClient(s);
        onCleanup(() => {
          s.destroy();
        });
        resolve(c);
      });
      s.once("error", reject);
    });
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  /** The bytes received so far. */
  get bytes(): Buffer {
    return this.received;
  }

  /** Whether a packet of this type (high nibble of the first byte) arrived, scanning packet by packet. */
  got(type: number): boolean {
    const b = this.received;
    let i = 0;
    while (i < b.length) {
      const t = b[i]! >> 4;
      let len = 0;
      let mul = 1;
      let j = i + 1;
      for (; j < b.length; j++) {
        len += (b[j]! & 0x7f) * mul;
        mul *= 128;
        if ((b[j]! & 0x80) === 0) break;
      }
      if (t === type) return true;
      i = j + 1 + len;
    }
    return false;
  }

  /** Stops reading for good: what the broker sends piles up in the kernel, then in the broker. */
  freeze(): void {
    this.socket.removeAllListeners("data");
    this.socket.pause();
  }
}
