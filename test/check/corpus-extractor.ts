/**
 * An independent image extractor for the real-world corpus (test/fixtures/corpus/README.md): it knows Kubernetes'
 * container shape and nothing of pullguard's kind table, so `check` and it can only agree when `check` finds every
 * image a container would pull, wherever a custom resource keeps it.
 *
 * The rule: a string `image` is a container image when the object holding it looks like a container: it has a string
 * `name`, or it is an item of a list called containers, initContainers, ephemeralContainers, steps or sidecars, or it
 * is the value of a key called container or script (Argo Workflows' single-container templates) or stepTemplate (a
 * Tekton step that names no image runs its stepTemplate's,
 * https://tekton.dev/docs/pipelines/tasks/#specifying-a-step-template). An image volume
 * (`volumes[i].image.reference`, https://kubernetes.io/docs/concepts/storage/volumes/#image) counts too. Strings are
 * never parsed as manifests (an Argo `resource` template's `manifest: |` stays text). A `kind: List` or `*List`
 * document is read item by item, each item's paths starting at the item, as kubectl reads it.
 */
import { parseAllDocuments } from 'yaml';

export interface FoundImage {
  readonly image: string;
  /** kubectl-style: `spec.template.spec.containers[0].image`. */
  readonly path: string;
  /** The object's own `kind` and `apiVersion` (a List item's, not the List's). */
  readonly kind: string;
  readonly apiVersion: string;
}

export interface FileImages {
  readonly images: readonly FoundImage[];
  /** Documents the YAML library could not read; their images are not known. */
  readonly unreadableDocuments: number;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers', 'steps', 'sidecars']);
const CONTAINER_KEYS = new Set(['container', 'script', 'stepTemplate']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Place = { readonly key?: string; readonly listKey?: string };

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function walk(value: Json, path: string, place: Place, found: (image: string, path: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${path}[${index}]`, { listKey: place.key }, found));
    return;
  }
  if (!isObject(value)) return;
  const looksLikeContainer =
    typeof value['name'] === 'string' ||
    (place.listKey !== undefined && CONTAINER_LISTS.has(place.listKey)) ||
    (place.key !== undefined && CONTAINER_KEYS.has(place.key));
  const image = value['image'];
  if (looksLikeContainer && typeof image === 'string') found(image, `${path}.image`);
  if (place.listKey === 'volumes' && isObject(image) && typeof image['reference'] === 'string') {
    found(image['reference'], `${path}.image.reference`);
  }
  for (const [key, child] of Object.entries(value)) walk(child, path === '' ? key : `${path}.${key}`, { key }, found);
}

/** The objects of one document: the document itself, or a List's items (Lists of Lists included). */
function objectsOf(value: Json): { [key: string]: Json }[] {
  if (!isObject(value)) return [];
  const items = value['items'];
  if (text(value['kind']).endsWith('List') && Array.isArray(items)) return items.flatMap(objectsOf);
  return [value];
}

/** Every container image in `source`, a YAML stream read with YAML 1.1 merge keys, as go-yaml reads them. */
export function extractImages(source: string): FileImages {
  const images: FoundImage[] = [];
  let unreadableDocuments = 0;
  for (const document of parseAllDocuments(source, { merge: true, logLevel: 'silent' })) {
    if (document.errors.length > 0) {
      unreadableDocuments += 1;
      continue;
    }
    for (const object of objectsOf(document.toJS({ maxAliasCount: -1 }) as Json)) {
      const owner = { kind: text(object['kind']), apiVersion: text(object['apiVersion']) };
      walk(object, '', {}, (image, path) => images.push({ image, path, ...owner }));
    }
  }
  return { images, unreadableDocuments };
}
