/** What the suites and their helper processes (bench/proc/*.ts) send each other over IPC. */
import type { CatalogSource, MeasuredType } from "./points.js";

/* ---- gateway (bench/proc/gateway.ts) ---- */

export interface GatewayArgs {
  /** Names the CPU profile (BENCH_CPU_PROF_DIR) of this process. */
  label: string;
  points: number;
  typeId: MeasuredType;
  catalog: CatalogSource;
  /** With catalog "file": the Datapoints.json the suite wrote, which the gateway reads as in real use. */
  datapointsFile?: string;
  /** Event queue capacity of each redundancy group (large enough that nothing drops). */
  queueCapacity: number;
  maxConnections: number;
  /** bridge.republishOnConnect (default true): the retained state of every point on MQTT connect. */
  republishOnConnect: boolean;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface GatewayReady {
  iec104Port: number;
  mqttPort: number;
  /** Milliseconds to build the catalog, to start the gateway, and for MQTT to settle. */
  catalogMs: number;
  startMs: number;
  settleMs: number;
  /** RSS after the catalog was built, after start, after settling. */
  memory: { catalog: MemorySample; started: MemorySample; settled: MemorySample };
}

/** Sets `count` values in-process (Station.update), at most `batch` per turn of the event loop. */
export interface ProduceArgs {
  count: number;
  batch: number;
  /** Stop adding while the busiest group queue holds this many unsent events. */
  highWater: number;
}

export interface ProduceResult {
  produced: number;
  ms: number;
}

export interface GatewayStats {
  memory: MemorySample;
  /** Peak RSS of the process so far (process.resourceUsage().maxRSS), in bytes. */
  maxRss: number;
  /** Events dropped by full queues, over all groups. */
  dropped: number;
  valuesAccepted: number;
  valuesRejected: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

/* ---- master (bench/proc/master.ts) ---- */

export interface MasterArgs {
  port: number;
  masters: number;
  /** Acknowledge every `w` I-frames (default 8). */
  w: number;
}

export interface GiArgs {
  ca: number;
  /** The points expected (IOAs 1..points), each exactly once. */
  points: number;
  /** The type the answer must carry (the untimed one). */
  typeId: number;
}

export interface GiResult {
  /** First ACT sent -> last ACT_TERM received, over all masters. */
  totalMs: number;
  perMasterMs: number[];
  errors: string[];
}

export interface ArmArgs {
  /** `count`: objects of `typeId` with COT 3; `latency`: also read each value as a send time. */
  mode: "count" | "latency";
  typeId: number;
  /** Objects each master waits for. */
  expect: number;
}

export interface CountResult {
  counted: number;
  /** Wall-clock ms of the first object and of the last one up to the `expect`-th (NaN: none came). */
  firstMs: number;
  lastMs: number;
  firstFrameObjects: number;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export interface AwaitArgs {
  /** Give up after this long without a new object. */
  idleTimeoutMs: number;
}

export interface AwaitResult {
  readers: CountResult[];
  /** CPU time the master process used from `arm` until every master had its objects. */
  cpuMs: number;
  latency: LatencySummary | undefined;
  errors: string[];
}

/* ---- publisher (bench/proc/publisher.ts) ---- */

export interface PublisherArgs {
  mqttPort: number;
}

export interface PublishArgs {
  /** `single`: one value per message on <base>/point/<ca>/<ioa>; `batch`: `perMessage` values on <base>/batch. */
  mode: "single" | "batch";
  messages: number;
  perMessage: number;
  /** Values go to IOAs 1..points, round robin. */
  points: number;
  /** Messages per second; 0: as fast as the socket takes them. */
  rate: number;
  /** `seq`: a new number each time; `time`: the send time (wall ms modulo 100 s), for latency. */
  value: "seq" | "time";
}

export interface PublishResult {
  sent: number;
  values: number;
  /** Wall-clock ms of the first publish and after the last one was written. */
  firstMs: number;
  lastMs: number;
}

/* ---- fake outstation (bench/proc/fake-outstation.ts) ---- */

export interface FakeReady {
  port: number;
}

export interface FakeSendArgs {
  frames: number;
  objectsPerFrame: number;
  /** Unacknowledged frames allowed (IEC 104 k). */
  k: number;
}

/** The modulus of the `time` values: wall ms modulo this fits a float32 to 1/128 ms. */
export const TIME_VALUE_MODULUS = 100_000;
