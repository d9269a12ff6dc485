/**
 * The pull events of one pod (an EventList from the API server: untrusted JSON, core/v1 or events.k8s.io/v1) → per
 * container, the latest `Failed to pull image` (reason `Failed`) and `Back-off pulling image` (reason `BackOff`)
 * event, as the kubelet records them
 * (https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/images/image_manager.go), with how many times it
 * was seen and how long ago. The container comes from the event's `fieldPath`, `spec.containers{NAME}`
 * (https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/container/ref.go). Each event is validated on
 * its own, leniently: a malformed one is skipped and counted, never a throw. Bounded: at most {@link MAX_EVENTS}
 * events are read and texts are cut to {@link MAX_TEXT_CHARS}.
 */
import Type, { type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { clipText, type ContainerSection } from './failing-containers.js';

/** Events past this many in one list are not read (a pod's own events are a few dozen; the API server dedups them). */
export const MAX_EVENTS = 5000;

export interface PullEvent {
  readonly reason: 'Failed' | 'BackOff';
  readonly message: string;
  /** How many times the kubelet saw it: `series.count`, `count` or `deprecatedCount`, the largest; at least 1. */
  readonly count: number;
  /** ISO time of the last occurrence (`series.lastObservedTime`, `lastTimestamp`, `eventTime`: the latest). */
  readonly lastSeen?: string;
  /** Seconds from {@link lastSeen} to `now`; 0 when the event's clock is ahead. */
  readonly ageSeconds?: number;
  /** The component that wrote it (`reportingComponent`, `reportingController` or `source.component`). */
  readonly reportedBy?: string;
  /** The node that wrote it, when the event says (`source.host`, `deprecatedSource.host`, else `reportingInstance`). */
  readonly host?: string;
}

export interface ContainerPullEvents {
  readonly section: ContainerSection;
  readonly name: string;
  readonly failed?: PullEvent;
  readonly backOff?: PullEvent;
}

export interface PodEventsRef {
  readonly name: string;
  readonly namespace?: string;
  /** When given, events about another pod of the same name (an earlier one) are left out. */
  readonly uid?: string;
}

export interface PullEventsReading {
  /** One entry per container with a pull event, init containers first, then regular, then ephemeral. */
  readonly containers: readonly ContainerPullEvents[];
  /** Events that did not have the shape of an Event, and were skipped. */
  readonly malformed: number;
  /** True when the list had more than {@link MAX_EVENTS} events and only the first were read. */
  readonly truncated: boolean;
  /** Set when the whole list is not an EventList: nothing could be read. */
  readonly problem?: string;
}

const Maybe = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const ObjectRef = Type.Object({
  kind: Maybe(Type.String()),
  name: Maybe(Type.String()),
  namespace: Maybe(Type.String()),
  uid: Maybe(Type.String()),
  fieldPath: Maybe(Type.String({ maxLength: 512 })),
});
const Source = Type.Object({ component: Maybe(Type.String()), host: Maybe(Type.String()) });
const Count = Maybe(Type.Integer({ minimum: 0 }));
const EventSchema = Type.Object({
  reason: Maybe(Type.String()),
  message: Maybe(Type.String()),
  note: Maybe(Type.String()),
  involvedObject: Maybe(ObjectRef),
  regarding: Maybe(ObjectRef),
  count: Count,
  deprecatedCount: Count,
  series: Maybe(Type.Object({ count: Count, lastObservedTime: Maybe(Type.String()) })),
  lastTimestamp: Maybe(Type.String()),
  deprecatedLastTimestamp: Maybe(Type.String()),
  eventTime: Maybe(Type.String()),
  reportingComponent: Maybe(Type.String()),
  reportingController: Maybe(Type.String()),
  reportingInstance: Maybe(Type.String()),
  source: Maybe(Source),
  deprecatedSource: Maybe(Source),
});
const eventValidator = Compile(EventSchema);
type EventObject = Type.Static<typeof EventSchema>;

const KINDS = [
  { reason: 'Failed', prefix: 'Failed to pull image', key: 'failed' },
  { reason: 'BackOff', prefix: 'Back-off pulling image', key: 'backOff' },
] as const;
const SECTIONS: readonly ContainerSection[] = ['initContainers', 'containers', 'ephemeralContainers'];
const FIELD_PATH = /^spec\.(initContainers|containers|ephemeralContainers)\{([^{}]+)\}$/;

/** Reads the pod's pull events from an EventList (`items`), as of `now`. */
export function readPullEvents(list: unknown, pod: PodEventsRef, now: Date): PullEventsReading {
  const items = typeof list === 'object' && list !== null && 'items' in list ? list.items : undefined;
  if (!Array.isArray(items))
    return { containers: [], malformed: 0, truncated: false, problem: 'not an EventList: no items array' };
  const latest = new Map<
    string,
    { section: ContainerSection; name: string; failed?: PullEvent; backOff?: PullEvent }
  >();
  let malformed = 0;
  for (const item of items.slice(0, MAX_EVENTS)) {
    if (!eventValidator.Check(item)) {
      malformed += 1;
      continue;
    }
    const ref = item.regarding ?? item.involvedObject;
    if (!ref || !isAbout(ref, pod)) continue;
    const text = item.message ?? item.note ?? '';
    const kind = KINDS.find((k) => k.reason === item.reason && text.startsWith(k.prefix));
    const path = ref.fieldPath ? FIELD_PATH.exec(ref.fieldPath) : null;
    if (!kind || !path) continue;
    const section = path[1] as ContainerSection;
    const name = path[2] as string;
    const key = `${section}{${name}}`;
    const entry = latest.get(key) ?? { section, name };
    const event = pullEvent(item, kind.reason, text, now);
    if (isLater(event, entry[kind.key])) entry[kind.key] = event;
    latest.set(key, entry);
  }
  const containers = [...latest.values()].sort(
    (a, b) => SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section) || a.name.localeCompare(b.name),
  );
  return { containers, malformed, truncated: items.length > MAX_EVENTS };
}

/** The events of one container, from a {@link readPullEvents} reading. */
export function containerPullEvents(
  reading: PullEventsReading,
  section: ContainerSection,
  name: string,
): ContainerPullEvents | undefined {
  return reading.containers.find((c) => c.section === section && c.name === name);
}

function isAbout(ref: NonNullable<EventObject['involvedObject']>, pod: PodEventsRef): boolean {
  if (ref.kind !== 'Pod' || ref.name !== pod.name) return false;
  if (pod.namespace && ref.namespace && ref.namespace !== pod.namespace) return false;
  return !(pod.uid && ref.uid && ref.uid !== pod.uid);
}

function pullEvent(item: EventObject, reason: PullEvent['reason'], text: string, now: Date): PullEvent {
  const times = [item.series?.lastObservedTime, item.lastTimestamp, item.deprecatedLastTimestamp, item.eventTime]
    .map((time) => (time ? Date.parse(time) : Number.NaN))
    .filter((ms) => Number.isFinite(ms));
  const last = times.length > 0 ? Math.max(...times) : undefined;
  const count = Math.max(1, item.series?.count ?? 0, item.count ?? 0, item.deprecatedCount ?? 0);
  const reportedBy = item.reportingComponent || item.reportingController || item.source?.component;
  const host = item.source?.host || item.deprecatedSource?.host || item.reportingInstance;
  return {
    reason,
    message: clipText(text),
    count,
    ...(last === undefined
      ? {}
      : {
          lastSeen: new Date(last).toISOString(),
          ageSeconds: Math.max(0, Math.floor((now.getTime() - last) / 1000)),
        }),
    ...(reportedBy ? { reportedBy: clipText(reportedBy) } : {}),
    ...(host ? { host: clipText(host) } : {}),
  };
}

/** Later by last occurrence; an event with no time loses to one with a time; a tie goes to the larger count. */
function isLater(candidate: PullEvent, current: PullEvent | undefined): boolean {
  if (!current) return true;
  const a = candidate.lastSeen ? Date.parse(candidate.lastSeen) : -Infinity;
  const b = current.lastSeen ? Date.parse(current.lastSeen) : -Infinity;
  return a > b || (a === b && candidate.count > current.count);
}
