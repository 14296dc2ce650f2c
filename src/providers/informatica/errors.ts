/**
 * The vendor's message and request id out of a Cloud Integration Hub error body. The Events API documents no error
 * schema; Informatica Intelligent Cloud Services answers `{ "error": { "code", "message", "requestId" } }`
 * (REST API v3), older services `{ "code", "description" }` (v2), and the Spring-based consoles
 * `{ "status", "error", "message" }`. A gateway in front may answer plain text.
 */

export function informaticaErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return nonEmpty(body.trim());
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const nested = record['error'];
  if (typeof nested === 'object' && nested !== null) {
    const inner = nested as Record<string, unknown>;
    const message = textOf(inner['message']) ?? textOf(inner['description']);
    if (message) return withCode(textOf(inner['code']), message);
  }
  const message =
    textOf(record['message']) ??
    textOf(record['errorMessage']) ??
    textOf(record['description']) ??
    textOf(record['error']);
  return message ? withCode(textOf(record['code']) ?? textOf(record['errorCode']), message) : undefined;
}

/**
 * The request id an IICS error body carries (`error.requestId`, REST API v3), which Informatica support
 * asks for: IICS sends it in no header.
 * https://docs.informatica.com/integration-cloud/cloud-platform/current-version/rest-api-reference/informatica-intelligent-cloud-services-rest-api/error-object.html
 */
export function informaticaRequestId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const nested = (body as Record<string, unknown>)['error'];
  if (typeof nested !== 'object' || nested === null) return undefined;
  const id = (nested as Record<string, unknown>)['requestId'];
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function withCode(code: string | undefined, message: string): string | undefined {
  return nonEmpty(code && !message.includes(code) ? `${code}: ${message}` : message);
}

function nonEmpty(text: string): string | undefined {
  return text === '' ? undefined : text;
}
