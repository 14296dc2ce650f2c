/**
 * Vendor text quoted in an error's message: cut to length without splitting a character written as a
 * surrogate pair (an emoji), and without the controls a terminal obeys (a vendor's `\u001b[2J`, an
 * OSC 52 that writes the clipboard), as the message is what a log line or a terminal shows.
 */
import { describe, expect, it } from 'vitest';
import { show } from '../../src/core/config.js';
import { statusError } from '../../src/core/status-error.js';
import type { ProviderDefaults } from '../../src/core/request.js';

const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

function mapped(text: string) {
  return statusError({
    provider: 'tines',
    operation: 'events.list',
    method: 'GET',
    url: 'https://tenant.tines.com/api/v1/events',
    status: 500,
    statusText: 'Internal Server Error',
    headers: new Headers(),
    text,
    defaults: {} as ProviderDefaults,
    retryAfterMs: undefined,
  });
}

/** A C0 control but tab and line feed, DEL, a C1 control. */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('a vendor message cut for an error', () => {
  it.each([299, 499])('keeps an emoji across the cut at %i whole or leaves it out', (at) => {
    const message = `${'a'.repeat(at)}🎉 and more`;
    const error = mapped(JSON.stringify({ message }));
    expect(isWellFormed(error.message)).toBe(true);
    expect(isWellFormed(error.vendorMessage as string)).toBe(true);
    expect(error.message.endsWith(`${'a'.repeat(10)}…`) || error.message.endsWith('🎉…')).toBe(true);
  });

  it('keeps an emoji across the body excerpt cut whole or leaves it out', () => {
    const error = mapped(`${'b'.repeat(499)}🎉${'c'.repeat(100)}`);
    expect(isWellFormed(error.bodyExcerpt as string)).toBe(true);
    expect(error.bodyExcerpt).toBe('b'.repeat(499));
  });

  it('shows a refused option value cut at 40 characters without half an emoji', () => {
    const shown = show(`${'x'.repeat(39)}🎉tail`);
    expect(isWellFormed(JSON.parse(shown) as string)).toBe(true);
    expect(shown).not.toContain('\\ud83c');
  });
});

describe('terminal controls in a vendor message', () => {
  const message = 'boom\u001b[2J\u001b]52;c;ZXZpbA==\u0007 done\u009b31m\u007f';

  it('are escaped in the error message, as JSON writes them, and kept in vendorMessage', () => {
    const error = mapped(JSON.stringify({ message }));
    expect(error.message).not.toMatch(TERMINAL_CONTROL);
    expect(error.message).toContain('boom\\u001b[2J\\u001b]52;c;ZXZpbA==\\u0007 done\\u009b31m\\u007f');
    expect(error.vendorMessage).toBe(message);
  });
});
