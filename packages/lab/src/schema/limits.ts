/** Bounds on every table a lab file can fill (hostile input is normal input). */
export const LIMITS = {
  /** Lab file size in bytes. */
  labBytes: 1 << 20,
  /** A daemon file (inline or by path), bytes. */
  fileBytes: 1 << 20,
  /** Nodes; the automatic MAC has one byte for the node. */
  nodes: 250,
  /** Interfaces of one node; the automatic MAC has one byte for the interface. */
  interfacesPerNode: 64,
  addressesPerInterface: 32,
  sysctlsPerNode: 128,
  routesPerNode: 256,
  daemonsPerNode: 32,
  filesPerDaemon: 16,
  argvWords: 256,
  envPerDaemon: 64,
  links: 1024,
  endpointsPerSegment: 64,
  checks: 256,
  /** YAML alias dereferences (a walk through nested aliases grows exponentially). */
  aliases: 100,
} as const;
