/**
 * The forms a documented string field arrives in (VENDORS.md: "a documented string arrives as an
 * array"), for the providers' text-field tests.
 */
export const FORMS = ['array', 'string', 'null', 'missing'] as const;
export type Form = (typeof FORMS)[number];

/**
 * Sets each field of `texts` on `event` in `form`: an array holds the text first, then `other` (or the
 * text with `-other`); `missing` sets nothing.
 */
export function setTextFields(event: Record<string, unknown>, texts: Readonly<Record<string, string>>, form: Form, other?: string): void {
  for (const [field, text] of Object.entries(texts)) {
    if (form === 'array') event[field] = [text, other ?? `${text}-other`];
    else if (form === 'string') event[field] = text;
    else if (form === 'null') event[field] = null;
  }
}
