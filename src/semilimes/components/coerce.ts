import type { FieldSpec } from './fields';
import { FORM_COMPONENTS, type FormComponentType } from './form-components';

/**
 * Submitted values in the type the documentation gives them: a switch's value is a boolean, a slider's a number,
 * a multi choice's and the pickers' arrays. The definitions say which; a server (or an app) that sends `"true"`,
 * `"35"` or a single item gets its value converted. Values that cannot be converted are passed on as they came, so
 * nothing is lost.
 */
export function coerceSubmittedValue(formComponentType: unknown, value: unknown): unknown {
  const definition = FORM_COMPONENTS[formComponentType as FormComponentType];
  const spec = definition?.fields && (definition.fields as Record<string, FieldSpec>).value;
  if (!spec || value === null || value === undefined) return value;
  switch (spec.kind) {
    case 'boolean':
      if (value === 'true' || value === 1 || value === '1') return true;
      if (value === 'false' || value === 0 || value === '0') return false;
      return value;
    case 'number':
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return value;
    case 'array':
      if (Array.isArray(value)) return value;
      if (value === '') return [];
      if (typeof value === 'string' && value.trim().startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(value);
          if (Array.isArray(parsed)) return parsed;
        } catch {
          // Not JSON after all: a single item.
        }
      }
      return [value];
    default:
      return value;
  }
}
