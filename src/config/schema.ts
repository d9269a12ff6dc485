/**
 * The config file's one schema (docs/design.md §3.1). Every key is optional; the defaults live in load-config.ts.
 * Unknown keys are errors, so a typo never silently falls back to a default.
 */
import Type, { type Static } from 'typebox';
import { VERDICTS, FINDING_CLASSES } from '../policy/finding-class.js';

/** Checked by parseDuration in config-problems.ts, which says what a duration looks like. */
const Duration = Type.String({ description: 'e.g. 500ms, 3s, 5m' });
const VerdictSchema = Type.Union(VERDICTS.map((a) => Type.Literal(a)));

const PolicySchema = Type.Object(Object.fromEntries(FINDING_CLASSES.map((c) => [c, Type.Optional(VerdictSchema)])), {
  additionalProperties: false,
});

const RegistrySchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    nodeCredentials: Type.Optional(Type.Boolean()),
    caFile: Type.Optional(Type.String({ minLength: 1 })),
    plainHttp: Type.Optional(Type.Boolean()),
    insecureSkipVerify: Type.Optional(Type.Boolean()),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
  },
  { additionalProperties: false },
);

/**
 * A kind pullguard does not know (docs/design.md §3.1): where its pod specs, or its containers outside a pod spec,
 * are. Paths are checked by parseFieldPath (workload-config.ts). `group` is '' (or 'core') for the core group.
 */
const WorkloadSchema = Type.Object(
  {
    group: Type.String(),
    kind: Type.String({ minLength: 1 }),
    podSpecs: Type.Optional(Type.Array(Type.String())),
    containers: Type.Optional(Type.Array(Type.String())),
    initContainers: Type.Optional(Type.Array(Type.String())),
    podFields: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/**
 * The nodes' container runtime and the files it pulls by (docs/design.md §1.10): containerd's `config_path`
 * directory of `<host>/hosts.toml`, or CRI-O's registries.conf and its drop-in directory. One of the two.
 */
const RuntimeSchema = Type.Union([
  Type.Object(
    {
      containerd: Type.Object(
        { hostsDir: Type.Optional(Type.String({ minLength: 1 })) },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      crio: Type.Object(
        {
          registriesConf: Type.Optional(Type.String({ minLength: 1 })),
          registriesConfDir: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
]);

export const ConfigFileSchema = Type.Object(
  {
    mode: Type.Optional(Type.Union([Type.Literal('enforce'), Type.Literal('warn')])),
    policy: Type.Optional(PolicySchema),
    registries: Type.Optional(Type.Array(RegistrySchema)),
    credentials: Type.Optional(
      Type.Object(
        {
          dockerConfig: Type.Optional(Type.String({ minLength: 1 })),
          kubernetes: Type.Optional(Type.Union([Type.Literal('auto'), Type.Boolean()])),
          credentialProviderConfig: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    runtime: Type.Optional(RuntimeSchema),
    exempt: Type.Optional(
      Type.Object(
        { images: Type.Optional(Type.Array(Type.String({ minLength: 1 }))) },
        { additionalProperties: false },
      ),
    ),
    platforms: Type.Optional(Type.Array(Type.String())), // parsePlatform checks os/arch[/variant]
    cache: Type.Optional(
      Type.Object(
        {
          ttl: Type.Optional(Duration),
          negativeTtl: Type.Optional(Duration),
          maxEntries: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    network: Type.Optional(
      Type.Object(
        {
          requestTimeout: Type.Optional(Duration),
          budget: Type.Optional(Duration),
          concurrencyPerRegistry: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
          requestsPerSecondPerRegistry: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
          blockedCidrs: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
        },
        { additionalProperties: false },
      ),
    ),
    tls: Type.Optional(
      Type.Object(
        {
          certFile: Type.Optional(Type.String({ minLength: 1 })),
          keyFile: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    workloads: Type.Optional(Type.Array(WorkloadSchema)),
    audit: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          interval: Type.Optional(Duration),
          requestsPerSecondPerRegistry: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
          concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
          leaseName: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
          leaseNamespace: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
        },
        { additionalProperties: false },
      ),
    ),
    logging: Type.Optional(
      Type.Object(
        { reviews: Type.Optional(Type.Union([Type.Literal('findings'), Type.Literal('all')])) },
        { additionalProperties: false },
      ),
    ),
    listen: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(Type.String({ minLength: 1 })),
          port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
          healthPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type ConfigFile = Static<typeof ConfigFileSchema>;
