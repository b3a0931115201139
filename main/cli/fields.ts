/**
 * `-T fields` lines as tshark 4.0 prints them: values joined by the separator, each
 * non-empty value quoted when -E quote asks (empty values and the header line never are).
 */
import type { FieldsOptions } from './args';

export function formatFieldsHeader(names: readonly string[], opts: FieldsOptions): string {
  return names.join(opts.separator);
}

export function formatFieldsRow(values: readonly string[], opts: FieldsOptions): string {
  const q = opts.quote;
  if (q === '') return values.join(opts.separator);
  return values.map((v) => (v === '' ? '' : q + v + q)).join(opts.separator);
}
