import { registerSecret } from '../../src/core/redact.js';

/**
 * Runs `body` with `secrets` registered for redaction, and releases them however it ends, so that no
 * test leaves a secret behind for the next one's output.
 */
export function withSecrets(secrets: readonly string[], body: () => void): void {
  const release = registerSecret(...secrets);
  try {
    body();
  } finally {
    release();
  }
}
