/**
 * The event printer for both `events` (core/v1) and `events.events.k8s.io` (v1), which kube serves
 * from one storage and prints with one printer: LAST SEEN TYPE REASON OBJECT MESSAGE, with
 * SUBOBJECT, SOURCE, FIRST SEEN, COUNT and NAME as wide columns.
 */
import type { KubeObject } from '../../api/meta.js';
import { get, int, str } from './fields.js';
import { age, parseTimestamp } from '../../api/human-duration.js';
import { column, nameColumn, printer, wide } from './printer.js';
import type { Printer } from './printer.js';

/** The fields the printer reads, in core/v1 terms. */
interface EventView {
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series: unknown;
  involvedObject: unknown;
  sourceComponent: string;
  sourceHost: string;
  reportingController: string;
  reportingInstance: string;
  message: string;
}

function view(o: KubeObject): EventView {
  if (o.apiVersion.startsWith('events.k8s.io/')) {
    return {
      firstTimestamp: o['deprecatedFirstTimestamp'],
      lastTimestamp: o['deprecatedLastTimestamp'],
      eventTime: o['eventTime'],
      count: int(o['deprecatedCount']),
      series: o['series'],
      involvedObject: o['regarding'],
      sourceComponent: str(get(o, 'deprecatedSource', 'component')),
      sourceHost: str(get(o, 'deprecatedSource', 'host')),
      reportingController: str(o['reportingController']),
      reportingInstance: str(o['reportingInstance']),
      message: str(o['note']),
    };
  }
  return {
    firstTimestamp: o['firstTimestamp'],
    lastTimestamp: o['lastTimestamp'],
    eventTime: o['eventTime'],
    count: int(o['count']),
    series: o['series'],
    involvedObject: o['involvedObject'],
    sourceComponent: str(get(o, 'source', 'component')),
    sourceHost: str(get(o, 'source', 'host')),
    reportingController: str(o['reportingComponent']),
    reportingInstance: str(o['reportingInstance']),
    message: str(o['message']),
  };
}

function eventCells(o: KubeObject, now: number): (string | number)[] {
  const e = view(o);
  const first = age(parseTimestamp(e.firstTimestamp) !== undefined ? e.firstTimestamp : e.eventTime, now);
  let last = parseTimestamp(e.lastTimestamp) !== undefined ? age(e.lastTimestamp, now) : first;
  let count = e.count;
  if (e.series !== undefined && e.series !== null) {
    last = age(get(e.series, 'lastObservedTime'), now);
    count = int(get(e.series, 'count'));
  } else if (count === 0) {
    count = 1;
  }
  const kind = str(get(e.involvedObject, 'kind')).toLowerCase();
  const name = str(get(e.involvedObject, 'name'));
  const component = e.sourceComponent || e.reportingController;
  const instance = e.sourceHost || e.reportingInstance;
  return [
    last,
    str(o['type']),
    str(o['reason']),
    name ? `${kind}/${name}` : kind,
    str(get(e.involvedObject, 'fieldPath')),
    instance ? `${component}, ${instance}` : component,
    e.message.trim(),
    first,
    count,
    o.metadata.name ?? '',
  ];
}

/** Printer for core/v1 and events.k8s.io/v1 events. */
export const eventPrinter: Printer = printer(
  [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning).'),
    column('Reason', 'string', 'Short, machine-understandable reason for the transition.'),
    column('Object', 'string', 'The object this event is about.'),
    wide(column('Subobject', 'string', 'The part of the object this event is about.')),
    wide(column('Source', 'string', 'The component reporting this event.')),
    column('Message', 'string', 'A human-readable description of the event.'),
    wide(column('First Seen', 'string', 'The time at which the event was first recorded.')),
    wide(column('Count', 'string', 'The number of times this event has occurred.')),
    nameColumn(1),
  ],
  eventCells,
);
