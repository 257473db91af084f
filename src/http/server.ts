/**
 * The HTTP side: `/healthz` (the process is alive), `/readyz` (IEC 104 listening and MQTT
 * connected: 200, else 503 with what is missing) and `/metrics` (Prometheus text format).
 */
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import type { Logger } from "../iec104/outstation/log.js";

export interface HttpOptions {
  host: string;
  port: number;
  registry: Registry;
  /** What is not ready yet (empty: ready). */
  notReady: () => string[];
  health: () => Record<string, unknown>;
  logger: Logger;
}

export class HttpServer {
  private readonly server: Server;
  port = 0;

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(o: HttpOptions): Promise<HttpServer> {
    const server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "GET" && req.method !== "HEAD") {
        json(405, { error: "method not allowed" });
        return;
      }
      if (path === "/healthz") {
        json(200, { status: "ok", ...o.health() });
      } else if (path === "/readyz") {
        const missing = o.notReady();
        json(missing.length === 0 ? 200 : 503, {
          status: missing.length === 0 ? "ready" : "not ready",
          missing,
        });
      } else if (path === "/metrics") {
        o.registry.metrics().then(
          (text) => {
            res.writeHead(200, { "content-type": o.registry.contentType });
            res.end(text);
          },
          (err: unknown) => json(500, { error: (err as Error).message }),
        );
      } else {
        json(404, { error: "not found", paths: ["/healthz", "/readyz", "/metrics"] });
      }
    });
    const http = new HttpServer(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(o.port, o.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const a = server.address();
    http.port = typeof a === "object" && a !== null ? a.port : o.port;
    o.logger.info({ host: o.host, port: http.port }, "HTTP health and metrics listening");
    return http;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
