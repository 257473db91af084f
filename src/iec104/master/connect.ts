/** Opens the TCP (or TLS) connection of a master, bounded by t0 (IEC 104 5.3: connection establishment). */
import net from "node:net";
import tls from "node:tls";

export interface DialOptions {
  host: string;
  port: number;
  t0Ms: number;
  tls?: tls.ConnectionOptions;
}

/** Resolves with the connected (for TLS: handshaken) socket; rejects when t0 expires first. */
export function dial(opts: DialOptions): Promise<net.Socket> {
  const where = `${opts.host}:${opts.port}`;
  return new Promise((resolve, reject) => {
    const socket = opts.tls
      ? tls.connect({ ...opts.tls, host: opts.host, port: opts.port })
      : net.connect({ host: opts.host, port: opts.port });
    const done = (err?: Error): void => {
      clearTimeout(t0);
      socket.off("error", done);
      socket.off(opts.tls ? "secureConnect" : "connect", onConnect);
      if (err === undefined) return;
      socket.destroy();
      reject(new Error(`connect to ${where} failed: ${err.message}`));
    };
    const onConnect = (): void => {
      done();
      socket.setNoDelay(true);
      resolve(socket);
    };
    const t0 = setTimeout(() => done(new Error(`t0 expired after ${opts.t0Ms} ms`)), opts.t0Ms);
    socket.once(opts.tls ? "secureConnect" : "connect", onConnect);
    socket.once("error", done);
  });
}
