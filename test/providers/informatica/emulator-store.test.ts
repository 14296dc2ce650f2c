import { describe, expect, it } from 'vitest';
import { InformaticaStore, type SearchCriteria } from '../../../src/providers/informatica/emulator-store.js';
import { rangeWindow } from '../../../src/providers/informatica/vocabulary.js';
import { parseSearchBody, renderEvent, renderSearch } from '../../../src/providers/informatica/emulator-wire.js';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const all: SearchCriteria = {
  useExactMatch: false,
  eventType: 'ALL',
  eventStatus: 'ALL',
  from: Number.NEGATIVE_INFINITY,
  to: Number.POSITIVE_INFINITY,
  firstResult: 0,
  maxResults: 2000,
};

function sample(): InformaticaStore {
  const store = new InformaticaStore();
  const pub = store.add({ createTime: NOW - 60_000, pubSubName: 'Orders_Pub' }, NOW);
  store.add({ parentEventId: pub.eventId, createTime: NOW - 50_000, pubSubName: 'Orders_Sub', eventStatus: 'Error' }, NOW);
  store.add({ createTime: NOW - 40_000, eventType: 'UNBOUND_SUBSCRIPTION', pubSubName: 'Loose', eventStatus: 'Processing' }, NOW);
  store.add({ createTime: NOW - 100 * 86_400_000, pubSubName: 'Expired' }, NOW);
  return store;
}

describe('informatica emulator store', () => {
  it('returns roots newest first, with children only inside their matching parent', () => {
    const rows = sample().search(all, NOW).rows;
    expect(rows.map((row) => row.pubSubName)).toEqual(['Loose', 'Orders_Pub']);
  });

  it('returns a matching child on its own when its parent does not match', () => {
    const rows = sample().search({ ...all, eventType: 'SUBSCRIPTION' }, NOW).rows;
    expect(rows.map((row) => row.pubSubName)).toEqual(['Orders_Sub']);
    expect(sample().search({ ...all, eventStatus: 'ERROR' }, NOW).rows.map((row) => row.eventStatus)).toEqual(['Error']);
  });

  it('matches names as substrings, or exactly with useExactMatch', () => {
    expect(sample().search({ ...all, pubSubName: 'orders' }, NOW).rows.map((row) => row.pubSubName)).toEqual(['Orders_Pub']);
    expect(sample().search({ ...all, pubSubName: 'orders', useExactMatch: true }, NOW).rows).toHaveLength(0);
    expect(sample().search({ ...all, pubSubName: 'Orders_Pub', useExactMatch: true }, NOW).rows).toHaveLength(1);
  });

  it('slices by firstResult and maxResults, counts every match, and records status changes', () => {
    const store = sample();
    const page = store.search({ ...all, firstResult: 1, maxResults: 1 }, NOW);
    expect([page.rows.map((row) => row.pubSubName), page.total]).toEqual([['Orders_Pub'], 2]);
    const loose = store.search({ ...all, maxResults: 1 }, NOW).rows[0];
    store.setStatus(loose!.eventId, 'Complete', NOW, 'done');
    expect(store.get(loose!.eventId)?.history.map((entry) => entry.eventStatusName)).toEqual(['Processing', 'Complete']);
    expect(store.get(loose!.eventId)?.completionTime).toBe(NOW);
  });

  it('answers a repeated search from its sorted rows until the store changes', () => {
    const store = sample();
    expect(store.search(all, NOW).rows.map((row) => row.pubSubName)).toEqual(['Loose', 'Orders_Pub']);
    const newer = store.add({ createTime: NOW - 1_000, pubSubName: 'Newer' }, NOW);
    expect(store.search(all, NOW).rows.map((row) => row.pubSubName)).toEqual(['Newer', 'Loose', 'Orders_Pub']);
    const errors = { ...all, eventStatus: 'ERROR' } as const;
    expect(store.search(errors, NOW).rows.map((row) => row.pubSubName)).toEqual(['Orders_Sub']);
    store.setStatus(newer.eventId, 'Error', NOW, 'failed');
    expect(store.search(errors, NOW).rows.map((row) => row.pubSubName)).toEqual(['Newer', 'Orders_Sub']);
    // The retention bound moves with `now`: later, the publication has expired and its child stands alone.
    expect(store.search(all, NOW + 92 * 86_400_000 - 50_000).rows.map((row) => row.pubSubName)).toEqual(['Newer', 'Loose', 'Orders_Sub']);
  });

  it('refuses a time that is not epoch milliseconds, and keeps rendering', () => {
    const store = sample();
    const before = store.size;
    const nextId = Math.max(...store.all().map((event) => event.eventId)) + 1;
    expect(() => store.add({ createTime: Number.NaN }, NOW)).toThrow(expect.objectContaining({ name: 'ConfigurationError', option: 'createTime' }));
    expect(() => store.add({ completionTime: Number.NaN }, NOW)).toThrow(expect.objectContaining({ name: 'ConfigurationError', option: 'completionTime' }));
    expect(() => (store.add as (init: object) => unknown)({})).toThrow(/now must be epoch milliseconds/);
    const [first] = store.all();
    expect(() => store.setStatus(first?.eventId as number, 'Complete', Number.NaN)).toThrow(expect.objectContaining({ name: 'ConfigurationError', option: 'at' }));
    expect(store.size).toBe(before);
    expect(() => renderSearch(store.search(all, NOW), store, 'mixed')).not.toThrow();
    // A refused event takes no id.
    expect(store.add({}, NOW).eventId).toBe(nextId);
  });

  it('computes range windows in UTC', () => {
    expect(rangeWindow('LAST_HOUR', NOW)).toEqual([NOW - 3_600_000, NOW]);
    expect(rangeWindow('TODAY', NOW)).toEqual([Date.parse('2026-11-23T00:00:00.000Z'), NOW]);
    expect(rangeWindow('YESTERDAY', NOW)).toEqual([Date.parse('2026-11-22T00:00:00.000Z'), Date.parse('2026-11-22T23:59:59.999Z')]);
  });
});

describe('informatica emulator wire', () => {
  it('reads defaults as the vendor documents them', () => {
    const parsed = parseSearchBody({}, NOW);
    expect(parsed).toEqual({
      ok: true,
      criteria: { ...all, from: NOW - 86_400_000, to: NOW },
    });
  });

  it('rejects bad enums, bad offsets and CUSTOM ranges without vendor dates', () => {
    const message = (body: unknown) => {
      const parsed = parseSearchBody(body, NOW);
      return parsed.ok ? undefined : parsed.message;
    };
    expect(message({ eventStatus: 'Complete' })).toMatch(/eventStatus/);
    expect(message({ eventType: 'PUB' })).toMatch(/eventType/);
    expect(message({ firstResult: -1 })).toMatch(/firstResult/);
    expect(message({ maxResults: 0 })).toMatch(/maxResults/);
    expect(message({ timeframe: { range: 'CUSTOM', fromDate: '2026-11-23T10:00:00Z', toDate: '2026-11-23T11:00:00.000Z' } })).toMatch(/fromDate/);
    expect(message({ timeframe: { range: 'LAST_YEAR' } })).toMatch(/range/);
    expect(message([])).toMatch(/object/);
    const custom = parseSearchBody(
      { timeframe: { range: 'CUSTOM', fromDate: '2026-11-23T09:00:00.000Z', toDate: '2026-11-23T10:00:00.000+0000' } },
      NOW,
    );
    expect(custom.ok && [custom.criteria.from, custom.criteria.to]).toEqual([NOW - 3_600_000, NOW]);
  });

  it('renders one match as a bare object and nests children', () => {
    const store = sample();
    const result = store.search({ ...all, pubSubName: 'Orders_Pub' }, NOW);
    const body = renderSearch(result, store, 'mixed') as Record<string, unknown>;
    expect(Array.isArray(body)).toBe(false);
    expect((body['childEvents'] as Array<Record<string, unknown>>)[0]?.['parentEventId']).toBe(body['eventId']);
    expect(Array.isArray(renderSearch(result, store, 'list'))).toBe(true);
  });

  it('mixes eventHistory and runId forms, and drops .000 from whole seconds', () => {
    const store = new InformaticaStore(30);
    const event = store.add({ createTime: NOW, eventStatus: 'Processing' }, NOW);
    const mixed = renderEvent(event, store, 'mixed');
    expect(mixed['runID']).toBe(event.runId);
    expect(Array.isArray(mixed['eventHistory'])).toBe(false);
    expect(mixed['createTime']).toBe('2026-11-23T10:00:00Z');
    const list = renderEvent(event, store, 'list');
    expect(list['runId']).toBe(event.runId);
    expect(list['eventHistory']).toHaveLength(1);
    expect(list['createTime']).toBe('2026-11-23T10:00:00.000Z');
  });
});
