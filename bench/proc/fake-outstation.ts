/**
 * A fake outstation that does nothing but send: it answers STARTDT and streams ready-made
 * M_ME_NC_1 I-frames (COT 3) as fast as the window allows (k unacknowledged frames, freed by the
 * master's S-frames). The frames are built once for every N(S), so sending costs one write each: with it, a
 * suite measures what the master process and the loopback take under the IEC 104 window, without
 * the gateway.
 */
import { createServer, type Socket } from "node:net";
import { serveParent } from "../lib/ipc.js";
import type { FakeSendArgs } from "../lib/protocol.js";

const SEQ = 32768;

/** One I-frame per N(S) (N(R) 0), each carrying `n` objects. */
function frames(n: number): Buffer[] {
  const t = Buffer.alloc(6 + 6 + n * 8);
  t[0] = 0x68;
  t[1] = t.length - 2;
  t.set([13, n, 3, 0, 1, 0], 6);
  for (let k = 0; k < n; k++) {
    t.writeUIntLE(k + 1, 12 + k * 8, 3);
    t.writeFloatLE(k * 1.5, 15 + k * 8);
  }
  return Array.from({ length: SEQ }, (_, ns) => {
    const f = Buffer.from(t);
    f.writeUInt16LE(ns << 1, 2);
    return f;
  });
}

class Link {
  private readonly socket: Socket;
  private ring: Buffer[] = [];
  private ns = 0;
  private acked = 0;
  private remaining = 0;
  private k = 12;
  private done: (() => void) | undefined;
  private rest: Buffer = Buffer.alloc(0);

  constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", () => {});
  }

  send(a: FakeSendArgs, ring: Buffer[]): Promise<void> {
    this.ring = ring;
    this.k = a.k;
    this.remaining = a.frames;
    return new Promise((resolve) => {
      this.done = resolve;
      this.pump();
    });
  }

  private pump(): void {
    this.socket.cork();
    while (this.remaining > 0 && ((this.ns - this.acked) & 0x7fff) < this.k) {
      this.socket.write(this.ring[this.ns]!);
      this.ns = (this.ns + 1) & 0x7fff;
      this.remaining--;
    }
    this.socket.uncork();
    if (this.remaining === 0 && this.acked === this.ns) {
      this.done?.();
      this.done = undefined;
    }
  }

  /** The master sends 6-octet U and S frames only; TCP may still split or join them. */
  private onData(chunk: Buffer): void {
    const rx = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let pos = 0;
    for (; pos + 6 <= rx.length; pos += 6) {
      const c1 = rx[pos + 2]!;
      if (c1 === 0x07) this.socket.write(Buffer.from([0x68, 4, 0x0b, 0, 0, 0]));
      else if (c1 === 0x01) this.acked = rx.readUInt16LE(pos + 4) >> 1;
    }
    this.rest = rx.subarray(pos);
    this.pump();
  }
}

await serveParent(async () => {
  const links: Link[] = [];
  const rings = new Map<number, Buffer[]>();
  const server = createServer((s) => links.push(new Link(s)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  return {
    ready: { port: typeof addr === "object" && addr !== null ? addr.port : 0 },
    handlers: {
      send: async (a: FakeSendArgs) => {
        let ring = rings.get(a.objectsPerFrame);
        if (ring === undefined) {
          ring = frames(a.objectsPerFrame);
          rings.set(a.objectsPerFrame, ring);
        }
        const r = ring;
        await Promise.all(links.map((l) => l.send(a, r)));
      },
    },
    onExit: () => server.close(),
  };
});
