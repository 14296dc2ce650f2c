/**
 * The testing kit's inputs take `undefined` for an optional member, and read it as absent: under
 * `exactOptionalPropertyTypes` a caller passing `{ message: maybe }` need not strip it first. The
 * assignments below are what `tsc --noEmit -p .` checks; the expectations check the runtime.
 */
import { describe, expect, it } from 'vitest';
import type { NewEvent as FujitsuNewEvent } from '../../src/providers/fujitsu/emulator.js';
import type { NewEvent as InformaticaNewEvent } from '../../src/providers/informatica/emulator.js';
import type { NewEvent as SocotraNewEvent } from '../../src/providers/socotra/emulator.js';
import {
  createEmulator,
  DEFAULT_FUJITSU_TENANT,
  defineEmulator,
  json,
  type EmulatorSpec,
  type TinesEventInput,
} from '../../src/testing/index.js';

describe('testing kit inputs with optional members set to undefined', () => {
  it('Socotra addEvent generates every member given as undefined', () => {
    const input: SocotraNewEvent = {
      locator: undefined,
      type: undefined,
      timestamp: undefined,
      userLocator: undefined,
      requestId: undefined,
      data: undefined,
    };
    const event = createEmulator('socotra', { events: 0 }).store.addEvent(input);
    expect(event).toMatchObject({ locator: expect.any(String), type: 'policy.issue', timestamp: expect.any(String), data: {} });
    expect(event).toMatchObject({ userLocator: expect.any(String), requestId: expect.any(String) });
    expect(Object.values(event)).not.toContain(undefined);
  });

  it('Tines emit generates every member given as undefined', () => {
    const input: TinesEventInput = {
      actionId: undefined,
      payload: undefined,
      userId: undefined,
      storyRunGuid: undefined,
      createdAt: undefined,
    };
    const event = createEmulator('tines', { events: 0 }).store.emit(input);
    expect(event).toMatchObject({ actionId: expect.any(Number), payload: expect.any(Object), storyRunGuid: expect.any(String) });
    expect(event.createdAt).toEqual(expect.any(Number));
  });

  it('FUJITSU add generates every member given as undefined', () => {
    const input: FujitsuNewEvent = {
      at: '2026-11-23T10:00:00Z',
      sourceType: undefined,
      sourceIdentifier: undefined,
      categories: undefined,
      message: undefined,
      extra: undefined,
    };
    const event = createEmulator('fujitsu', { events: 0 }).store.events.add(DEFAULT_FUJITSU_TENANT, input);
    expect(event).toMatchObject({ sourceType: expect.any(String), sourceIdentifier: expect.any(String) });
    expect(event.message).toEqual(expect.any(String));
    expect(event.categories).toHaveLength(1);
    expect('extra' in event).toBe(false);
  });

  it('Informatica add generates every member given as undefined', () => {
    const input: InformaticaNewEvent = {
      eventId: undefined,
      eventType: undefined,
      applicationName: undefined,
      topicName: undefined,
      pubSubName: undefined,
      createTime: undefined,
      completionTime: undefined,
      eventStatus: undefined,
      descendantState: undefined,
      parentEventId: undefined,
      runId: undefined,
      sourceSuccessCount: undefined,
      sourceFailedCount: undefined,
      targetSuccessCount: undefined,
      targetFailedCount: undefined,
      history: undefined,
    };
    const event = createEmulator('informatica', { events: 0 }).store.events.add(input, 1_800_000_000_000);
    expect(event).toMatchObject({ eventType: 'PUBLICATION', createTime: 1_800_000_000_000, parentEventId: null });
    expect(Object.values(event)).not.toContain(undefined);
  });

  it('defineEmulator takes companions: undefined as no companion origin', async () => {
    const spec: EmulatorSpec<null> = {
      provider: 'generic',
      baseUrl: 'https://api.example.com',
      companions: undefined,
      createStore: () => null,
      handle: () => json({}),
    };
    expect((await defineEmulator(spec).create().msw()).length).toBeGreaterThan(0);
  });
});
