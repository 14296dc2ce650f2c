/**
 * The request id a vendor puts on every answer, errors included: the id a support ticket quotes, and
 * the one the SDK names in an `HttpError`'s message.
 */
import { EmulatorHttpError } from './responses.js';

type Handle<C> = (request: Request, context: C) => Promise<Response>;

/**
 * `handle`, its answers and its `EmulatorHttpError`s given `header` with an id from `nextId`.
 * `answerError` answers an error the vendor's own way (Socotra's plain-text errors); without it, or
 * when it returns `undefined`, the error goes on to the shared error answer, the id among its headers.
 */
export function withRequestId<C>(
  handle: Handle<C>,
  header: string,
  nextId: (context: C) => string,
  answerError?: (error: EmulatorHttpError, headers: Record<string, string>, context: C) => Response | undefined,
): Handle<C> {
  return async (request, context) => {
    const requestId = nextId(context);
    try {
      const response = await handle(request, context);
      response.headers.set(header, requestId);
      return response;
    } catch (error) {
      if (!(error instanceof EmulatorHttpError)) throw error;
      const headers = { ...error.headers, [header]: requestId };
      const answer = answerError?.(error, headers, context);
      if (answer !== undefined) return answer;
      throw new EmulatorHttpError(error.status, error.message, headers);
    }
  };
}
