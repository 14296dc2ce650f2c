import { describe, expect, it } from 'vitest';
import { metaSaysLastPage } from '../../../src/providers/tines/meta.js';
import { pageOrder, toSinceIdPage } from '../../../src/providers/tines/pagination.js';
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
  });
});

describe('tines page reading', () => {
  it('reads the order of a page', () => {
    expect(pageOrder(events(11, 12))).toBe('ascending');
    expect(pageOrder(events(12, 11))).toBe('descending');
    expect(pageOrder(events(11))).toBeUndefined();
  });

  it('moves on by since_id alone when a full page comes oldest first', () => {
    expect(toSinceIdPage(events(11, 12, 13), request(undefined))).toEqual({ items: events(11, 12, 13), nextPage: undefined });
  });

  it('asks for the next inner page of a full newest-first page, bare or wrapped', () => {
    expect(toSinceIdPage(events(13, 12, 11), request(undefined)).nextPage).toBe(2);
    expect(toSinceIdPage({ events: events(13, 12, 11), meta: { next_page: null, next_page_number: 3 } }, request(2)).nextPage).toBe(3);
  });

  it('ends a round when meta agrees it is over, or on a short page', () => {
    const meta = { next_page: null, next_page_number: null, pages: 2, count: 6 };
    expect(toSinceIdPage({ events: events(13, 12, 11), meta }, request(2)).nextPage).toBeUndefined();
    expect(toSinceIdPage(events(12, 11), request(undefined)).nextPage).toBeUndefined();
  });

  it('lets meta.per_page lower what counts as a full page', () => {
    expect(toSinceIdPage({ events: events(13, 12), meta: { per_page: 2 } }, request(undefined)).nextPage).toBe(2);
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
