/**
 * Every page of one collection (`limit` and `continue`,
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks) through
 * kube-request.ts, so each page is bounded in time and size (bounded-body.ts) and failures come back classified,
 * never thrown. The caller takes the items one by one and may stop the paging (a cap reached).
 */
import type { ReadFailure } from '../credentials/cluster-port.js';
import { isRecord } from '../runtime/json-shape.js';
import type { KubeRequest } from './kube-request.js';

export interface ListPagesOptions {
  /** Passed to the API server as written. */
  readonly labelSelector?: string;
  /** Passed to the API server as written. */
  readonly fieldSelector?: string;
  /** Items asked for per page (default 500). */
  readonly pageSize?: number;
  readonly signal: AbortSignal;
  /** Takes one item; false once no more are wanted (the paging stops there, and the result is `capped`). */
  readonly take: (item: Readonly<Record<string, unknown>>) => boolean;
}

export type PagedList =
  | {
      readonly status: 'ok';
      /** The first page's `apiVersion` and `kind` (`PodList`), when it has them. */
      readonly head: { readonly apiVersion?: string; readonly kind?: string };
      /** The list's resourceVersion (the first page's: a watch starts from it). */
      readonly resourceVersion: string;
      /** True when `take` refused an item: the collection holds more than was taken. */
      readonly capped: boolean;
    }
  | { readonly status: 'not-found' }
  | { readonly status: 'error'; readonly kind: ReadFailure; readonly detail: string };

/** At most this many pages per list (500 000 objects at the default page size): the paging always ends. */
const MAX_PAGES = 1_000;

export async function listPages(request: KubeRequest, path: string, options: ListPagesOptions): Promise<PagedList> {
  let token: string | undefined;
  let resourceVersion = '';
  let head: { apiVersion?: string; kind?: string } = {};
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(options.pageSize ?? 500) });
    for (const name of ['labelSelector', 'fieldSelector'] as const) {
      const selector = options[name];
      if (selector !== undefined && selector !== '') query.set(name, selector);
    }
    if (token !== undefined) query.set('continue', token);
    const answer = await request('GET', `${path}?${query.toString()}`, undefined, undefined, options.signal);
    if (answer.status === 'not-found') return answer;
    if (answer.status === 'conflict') return { status: 'error', kind: 'invalid', detail: 'HTTP 409' };
    if (answer.status === 'error') return answer;
    const items = answer.value['items'];
    const metadata = answer.value['metadata'];
    if (!Array.isArray(items)) return { status: 'error', kind: 'invalid', detail: 'not a list: no items array' };
    if (page === 0) {
      if (isRecord(metadata) && typeof metadata['resourceVersion'] === 'string')
        resourceVersion = metadata['resourceVersion'];
      head = headOf(answer.value);
    }
    for (const item of items as unknown[]) {
      if (isRecord(item) && !options.take(item)) return { status: 'ok', head, resourceVersion, capped: true };
    }
    const next = isRecord(metadata) ? metadata['continue'] : undefined;
    if (typeof next !== 'string' || next === '') return { status: 'ok', head, resourceVersion, capped: false };
    token = next;
  }
  return { status: 'error', kind: 'invalid', detail: `more than ${MAX_PAGES} pages` };
}

function headOf(list: Readonly<Record<string, unknown>>): { apiVersion?: string; kind?: string } {
  const { apiVersion, kind } = list;
  return {
    ...(typeof apiVersion === 'string' ? { apiVersion } : {}),
    ...(typeof kind === 'string' ? { kind } : {}),
  };
}
