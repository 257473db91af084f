/**
 * The embedded MQTT broker (Aedes): TCP, and optionally WebSocket, so `npm start` alone gives a
 * working device. Everything Aedes does not do itself is done here, in the socket layer.
 */
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { Aedes } from "aedes";
import { createWebSocketStream, WebSocketServer } from "ws";
import type { Logger } from "../iec104/outstation/log.js";

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  /** Also listen for MQTT over WebSocket on this port. */
  wsPort?: number;
  logger: Logger;
}

export class EmbeddedBroker {
  readonly aedes: Aedes;
  private readonly server: Server;
  private http: HttpServer | undefined;
  private wss: WebSocketServer | undefined;
  port = 0;
  wsPort: number | undefined;

  private constructor(aedes: Aedes, server: Server) {
    this.aedes = aedes;
    this.server = server;
  }

  static async start(o: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    const aedes = await Aedes.createBroker();
    const server = createServer((socket: Socket) => {
      // No Nagle: a publication forwarded while an earlier one is unacknowledged would otherwise
      // wait for the client's delayed ACK (40 ms on Linux).
      socket.setNoDelay(true);
      aedes.handle(socket);
    });
    const broker = new EmbeddedBroker(aedes, server);
    broker.port = await listen(server, o.port, o.host);
    if (o.wsPort !== undefined) {
      const http = createHttpServer();
      const wss = new WebSocketServer({ server: http });
      wss.on("connection", (ws, req) => {
        const stream = createWebSocketStream(ws);
        aedes.handle(stream as unknown as Socket, req);
      });
      broker.http = http;
      broker.wss = wss;
      broker.wsPort = await listen(http, o.wsPort, o.host);
    }
    aedes.on("clientError", (client, err) =>
      o.logger.debug({ client: client.id, err: err.message }, "MQTT client error"),
    );
    o.logger.info(
      { host: o.host, port: broker.port, wsPort: broker.wsPort },
      "embedded MQTT broker listening",
    );
    return broker;
  }

  async close(): Promise<void> {
    this.wss?.close();
    await Promise.all([
      new Promise<void>((r) => this.server.close(() => r())),
      this.http ? new Promise<void>((r) => this.http!.close(() => r())) : undefined,
      new Promise<void>((r) => this.aedes.close(() => r())),
    ]);
  }
}

function listen(server: Server | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const a = server.address();
      resolve(typeof a === "object" && a !== null ? a.port : port);
    });
  });
}
