/** Node plans built with the real runtime-file readers, for the tests of src/review/node-plan.ts. */
import { canonicalReference, type ImageReference, parseImageReference } from '../../src/image/reference.js';
import { readContainerdHosts } from '../../src/node-pull/containerd-hosts.js';
import { readCrioRegistries } from '../../src/node-pull/crio-registries.js';
import { type PullPlan, pullPlan, type RuntimeModel } from '../../src/node-pull/pull-plan.js';
import { type NodePlan, type NodePlanContext, nodePlanOf, type PlannedRoute } from '../../src/review/node-plan.js';
import { containerdFixture } from './node-pull-fixtures.js';

export const DIGEST = `sha256:${'b'.repeat(64)}`;

export const context = (listed: readonly string[] = []): NodePlanContext => ({
  isListed: (host) => listed.includes(host),
  caPath: (ca, host) => `/mounted/${host}/${ca}`,
});

function parsed(image: string): ImageReference {
  const result = parseImageReference(image);
  if (!result.ok) throw new Error(`${image}: ${result.reason}`);
  return result.reference;
}

export function planFor(model: RuntimeModel | undefined, image: string, ctx = context()): NodePlan | undefined {
  const plan: PullPlan | undefined = model && pullPlan(model, image);
  return nodePlanOf(plan, parsed(image), ctx);
}

export function routeOf(plan: NodePlan | undefined): PlannedRoute {
  if (plan?.kind !== 'route') throw new Error(`expected a route, got ${plan?.kind ?? 'undefined'}`);
  return plan.route;
}

/** `role host reference` per target, or `role host (unaskable)`. */
export const targets = (route: PlannedRoute) =>
  route.targets.map(
    (x) => `${x.role} ${x.host} ${x.reference ? canonicalReference(x.reference) : `(${x.unaskable ?? ''})`}`,
  );

export const containerd = (files: Record<string, string>) => {
  const read = readContainerdHosts(files);
  if (read.problems.length > 0) throw new Error(JSON.stringify(read.problems));
  return read.model;
};
/** The fixture directory; its quay.io/hosts.toml is malformed on purpose and left out of the model. */
export const fixtureModel = () => readContainerdHosts(containerdFixture()).model;
export const crio = (text: string) => {
  const read = readCrioRegistries([{ name: 'registries.conf', text }]);
  if (read.problems.length > 0) throw new Error(JSON.stringify(read.problems));
  return read.model;
};
