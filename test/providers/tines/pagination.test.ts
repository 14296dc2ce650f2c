import { describe, expect, it } from 'vitest';
import { metaSaysLastPage } from '../../../src/providers/tines/meta.js';
import { toSinceIdPage } from '../../../src/providers/tines/pagination.js';
import { resolveListQuery } from '../../../src/providers/tines/query.js';
import { isConfigurationError } from '../../../src/core/errors.js';
import type { TinesEvent } from '../../../src/providers/tines/schemas.js';

const events = (...ids: number[]): TinesEvent[] => ids.map((id) => ({ id, created_at: '2026-11-23T10:00:00Z' }));
const request = (page: number | undefined, pageSize = 3) => ({ sinceId: '10', page, pageSize });

describe('tines meta', () => {
  it('needs two agreeing fields to call a page the last', () => {
    expect(metaSaysLastPage({ next_page: null, next_page_number: null }, 2, 20)).toBe(true);
    expect(metaSaysLastPage({ pages: 3, count: 60 }, 3, 20)).toBe(true);
    expect(metaSaysLastPage({ next_page: null }, 1, 20)).toBe(false);
    expect(metaSaysLastPage({ next_page: null, next_page_number: 3, pages: 2, count: 45 }, 2, 20)).toBe(false);
    expect(metaSaysLastPage({ next_page: 'https://t/api/v1/events?page=2', pages: 1 }, 1, 20)).toBe(false);
    expect(metaSaysLastPage(undefined, 1, 20)).toBe(false);
    expect(metaSaysLastPage({ next_page_number: '2', pages: '5' }, 1, 20)).toBe(false);
    // A next page number that is not past this page names no page after it.
    expect(metaSaysLastPage({ next_page: null, next_page_number: 2 }, 2, 20)).toBe(true);
  });
});

describe('tines page reading', () => {
  it('offers the next inner page of a non-empty page, bare or wrapped, in either order', () => {
    expect(toSinceIdPage(events(13, 12, 11), request(undefined))).toEqual({ items: events(13, 12, 11), nextPage: 2 });
    expect(toSinceIdPage(events(11, 12, 13), request(undefined)).nextPage).toBe(2);
    expect(toSinceIdPage({ events: events(13, 12, 11), meta: { next_page: null, next_page_number: 3 } }, request(2)).nextPage).toBe(3);
  });

  it('offers none on an empty page or when meta agrees the page is the last', () => {
    const meta = { next_page: null, next_page_number: null, pages: 2, count: 6 };
    expect(toSinceIdPage({ events: events(13, 12, 11), meta }, request(2)).nextPage).toBeNull();
    expect(toSinceIdPage([], request(undefined)).nextPage).toBeNull();
    expect(toSinceIdPage({ events: [], meta: { next_page_number: 2 } }, request(undefined)).nextPage).toBeNull();
  });

  it('leaves a short page to the strategy unless meta says it is the last', () => {
    // A tenant capping per_page serves short pages that are not the end: only meta may say they are.
    expect(toSinceIdPage(events(12, 11), request(undefined)).nextPage).toBe(2);
    expect(toSinceIdPage({ events: events(12, 11), meta: { next_page: null, count: 2 } }, request(undefined)).nextPage).toBeNull();
  });

  it('lets meta.per_page lower the page size the count vote uses', () => {
    // Page 1 of 2 per page with 3 events: not the last, though 1 * 3 (asked) >= 3.
    expect(toSinceIdPage({ events: events(13, 12), meta: { per_page: 2, next_page: null, count: 3 } }, request(undefined)).nextPage).toBe(2);
    expect(toSinceIdPage({ events: events(13, 12), meta: { per_page: 9, next_page: null, count: 3 } }, request(undefined)).nextPage).toBeNull();
  });
});

describe('tines list query', () => {
  it('canonicalizes ids and times', () => {
    const resolved = resolveListQuery({ actionId: '021', sinceId: 5, since: '2026-11-01', untilId: '2147483999' });
    expect(resolved).toMatchObject({
      actionId: '21',
      sinceId: '5',
      pageSize: 100,
      filters: { until_id: '2147483999', since: '2026-11-01T00:00:00.000Z' },
    });
  });

  it.each([
    [{ pageSize: 501 }, 'pageSize'],
    [{ pageSize: 0 }, 'pageSize'],
    [{ pageSize: 2.5 }, 'pageSize'],
    [{ sinceId: -1 }, 'sinceId'],
    [{ sinceId: '1e5' }, 'sinceId'],
    [{ actionId: '../admin' }, 'actionId'],
    [{ untilId: 1.5 }, 'untilId'],
    [{ storyId: {} }, 'storyId'],
    [{ teamId: 'team' }, 'teamId'],
    [{ since: 'yesterday' }, 'since'],
    [{ until: new Date(NaN) }, 'until'],
    [{ sinceID: 5 }, 'sinceID'],
  ])('refuses %j naming %s', (query, option) => {
    let caught: unknown;
    try {
      resolveListQuery(query as never);
    } catch (error) {
      caught = error;
    }
    expect(isConfigurationError(caught)).toBe(true);
    expect((caught as { option: string }).option).toBe(option);
  });
});
