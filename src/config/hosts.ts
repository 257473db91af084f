/** The address a client uses to reach a listener bound to `host`: a wildcard becomes loopback. */
export function loopbackFor(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "::1";
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** The same as the host part of a URL (IPv6 in brackets). */
export function urlHostFor(host: string): string {
  const h = loopbackFor(host);
  return h.includes(":") ? `[${h}]` : h;
}
