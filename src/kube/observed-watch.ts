/**
 * The watch side of list-watch.ts: client-node's `Watch`, observed (each event's object passed through a transform
 * before ListWatch caches it, and a signal when a watch request is accepted), over a kubeconfig whose watch requests
 * can be aborted when the watcher stops.
 */
import { Watch, type KubeConfig, type RequestContext } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';

/**
 * A Watch that hands on each event's object through `transform` (so ListWatch caches only what it gives) and says
 * when a watch request was accepted.
 */
export class ObservedWatch<T> extends Watch {
  constructor(
    config: KubeConfig,
    private readonly transform: ((object: T) => T) | undefined,
    private readonly opened: (() => void) | undefined,
  ) {
    super(config);
  }

  override async watch(...[path, query, callback, done]: Parameters<Watch['watch']>): ReturnType<Watch['watch']> {
    const transform = this.transform;
    // A refused watch request ends through `done(error)` before `watch` returns (it never rejects).
    let refused = false;
    const controller = await super.watch(
      path,
      query,
      transform === undefined
        ? callback
        : (phase, object: T, raw) =>
            callback(phase, phase === 'BOOKMARK' || phase === 'ERROR' ? object : transform(object), raw),
      (error: unknown) => {
        if (error !== null && error !== undefined) refused = true;
        done(error);
      },
    );
    if (!refused) this.opened?.();
    return controller;
  }
}

/**
 * The kubeconfig as the watch sees it: the same, except that each watch request's dispatcher is handed to
 * `track` (closing the previous one, whose watch has ended), and is destroyed at once when the watcher has
 * stopped, so a watch that starts late fails fast instead of staying open.
 */
export function stoppableConfig(
  kubeConfig: KubeConfig,
  isStopped: () => boolean,
  track: (dispatcher: Dispatcher | undefined) => void,
): KubeConfig {
  let previous: Dispatcher | undefined;
  const applySecurityAuthentication = async (context: RequestContext): Promise<void> => {
    await kubeConfig.applySecurityAuthentication(context);
    const dispatcher = context.getDispatcher();
    void previous?.close().catch(() => {});
    previous = dispatcher;
    track(dispatcher);
    if (isStopped()) await dispatcher?.destroy().catch(() => {});
  };
  return new Proxy(kubeConfig, {
    get(target, property) {
      if (property === 'applySecurityAuthentication') return applySecurityAuthentication;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
