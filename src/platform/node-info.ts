/**
 * Node objects from the API server (a list or a watch event: untrusted JSON, or client-node's deserialized
 * classes) as {@link NodeInfo}, validated with a lenient TypeBox schema: unknown fields are allowed, optional
 * fields may be absent or null. Pure.
 */
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { NodeInfo } from './candidate-platforms.js';
import { nodePlatform } from './node-platform.js';
import type { Taint } from './tolerations.js';

const Maybe = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

const NodeSchema = Type.Object({
  metadata: Type.Object({
    name: Type.String({ minLength: 1 }),
    labels: Maybe(Type.Record(Type.String(), Type.String())),
  }),
  spec: Maybe(
    Type.Object({
      unschedulable: Maybe(Type.Boolean()),
      taints: Maybe(
        Type.Array(Type.Object({ key: Type.String(), value: Maybe(Type.String()), effect: Type.String() })),
      ),
    }),
  ),
  status: Maybe(
    Type.Object({
      nodeInfo: Maybe(
        Type.Object({
          operatingSystem: Maybe(Type.String()),
          architecture: Maybe(Type.String()),
          containerRuntimeVersion: Maybe(Type.String()),
        }),
      ),
    }),
  ),
});
const nodeValidator = Compile(NodeSchema);

/**
 * A Node object (from a list or a watch event; untrusted) as a {@link NodeInfo}; undefined when it does not have
 * the shape of a Node or does not say its platform.
 */
export function nodeInfoFromObject(object: unknown): NodeInfo | undefined {
  if (!nodeValidator.Check(object)) return undefined;
  const labels: Record<string, string> = Object.fromEntries(Object.entries(object.metadata.labels ?? {}));
  const nodeInfo = object.status?.nodeInfo;
  const platform = nodePlatform({
    labels,
    ...(nodeInfo?.operatingSystem ? { operatingSystem: nodeInfo.operatingSystem } : {}),
    ...(nodeInfo?.architecture ? { architecture: nodeInfo.architecture } : {}),
  });
  if (!platform) return undefined;
  const taints: Taint[] = (object.spec?.taints ?? []).map((t) =>
    t.value == null ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect },
  );
  const runtime = nodeInfo?.containerRuntimeVersion;
  const info: NodeInfo = {
    name: object.metadata.name,
    labels,
    taints,
    platform,
    ...(runtime ? { containerRuntimeVersion: runtime.slice(0, 256) } : {}),
  };
  return Object.freeze(object.spec?.unschedulable ? { ...info, unschedulable: true } : info);
}

/** The name of a Node-like object, for deletes and log lines, without trusting its shape. */
export function objectName(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null || !('metadata' in object)) return undefined;
  const metadata: unknown = object.metadata;
  if (typeof metadata !== 'object' || metadata === null || !('name' in metadata)) return undefined;
  return typeof metadata.name === 'string' ? metadata.name : undefined;
}
