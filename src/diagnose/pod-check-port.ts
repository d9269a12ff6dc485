/**
 * pullguard's engine on one failing pod, as a port: the CLI implements it with the webhook's reviewer (the pod's own
 * pull secrets and service account in kubelet order, the platform of the pod's node, the config's registries and
 * runtime); tests implement it in memory. It resolves, never rejects.
 */
import type { Finding } from '../policy/finding.js';
import type { Platform } from './container-facts.js';

/** What the engine found for one image use of the pod. */
export interface ImageCheck {
  readonly section: 'initContainers' | 'containers' | 'ephemeralContainers' | 'volumes';
  /** The container's name (the volume's for an image volume). */
  readonly name: string;
  /** The fully qualified reference, when the image parsed: `docker.io/library/nginx:1.29`. */
  readonly canonical?: string;
  /** The registry host the image is pulled from, when the image parsed. */
  readonly registryHost?: string;
  /** Every finding about this use, advice included. */
  readonly findings: readonly Finding[];
  /** The platforms the image's index offers, when the platform check fetched it. */
  readonly imagePlatforms?: readonly Platform[];
  /** The pull secret (by name, in the pod's namespace) the registry refused, when one was. */
  readonly rejectedSecret?: string;
}

export type PodCheck =
  | {
      readonly status: 'checked';
      readonly images: readonly ImageCheck[];
      /** The service account's `imagePullSecrets`, when it could be read. */
      readonly serviceAccountPullSecrets?: readonly string[];
      /** The pod's pull secrets and service account that could not be read, one sentence each (never their data). */
      readonly unread: readonly string[];
    }
  | { readonly status: 'not-checked'; readonly reason: string };

/** Checks the pod (the object as the API server has it) as if it were admitted now, on `node` (the Node object). */
export type PodCheckPort = (pod: unknown, node: unknown, signal: AbortSignal) => Promise<PodCheck>;
