import { DATA_COMPONENTS, type DataComponentType } from './data-components';
import type { ComponentDefinition, ShapeOf } from './fields';
import { FORM_COMPONENTS, type FormComponentType } from './form-components';
import { validateDataComponent, validateFormComponent } from './validate';

/** The data component of one type, as TypeScript sees it (derived from its definition). */
export type DataComponentOf<T extends DataComponentType> = { dataComponentType: T } & ShapeOf<
  (typeof DATA_COMPONENTS)[T]['fields']
>;

/** The form component of one type, as TypeScript sees it (derived from its definition). */
export type FormComponentOf<T extends FormComponentType> = { refName: string; formComponentType: T } & ShapeOf<
  (typeof FORM_COMPONENTS)[T]['fields']
>;

export type AnyFormComponent = { [T in FormComponentType]: FormComponentOf<T> }[FormComponentType];
export type FormSettings = Omit<ShapeOf<(typeof DATA_COMPONENTS)['form']['fields']>, 'formComponents'>;

/** Fields in definition order, defaults for the missing ones; undefined means "leave out". */
function fill(definition: ComponentDefinition, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(definition.fields)) {
    const given = fields[name];
    const fallback = 'default' in spec ? spec.default : undefined;
    const value = given !== undefined ? given : fallback;
    // Defaults are shared constants: hand out copies so a caller editing the result cannot change them.
    if (value !== undefined) out[name] = typeof value === 'object' && value !== null ? structuredClone(value) : value;
  }
  // Unknown fields stay, so that validation names them instead of the builder dropping them silently.
  for (const [name, value] of Object.entries(fields))
    if (!(name in out) && !(name in definition.fields) && value !== undefined) out[name] = value;
  return out;
}

/**
 * Builds a data component of `type` from its fields (documented order, defaults filled) and validates it.
 * A bucket given only a `bucketId` stays a reference: buckets have no defaults.
 */
export function buildDataComponent<T extends Exclude<DataComponentType, 'form'>>(
  type: T,
  fields: Omit<DataComponentOf<T>, 'dataComponentType'> | Record<string, unknown>,
): DataComponentOf<T> {
  const component = { dataComponentType: type, ...fill(DATA_COMPONENTS[type], fields as Record<string, unknown>) };
  return validateDataComponent(component, '') as DataComponentOf<T>;
}

/** Builds one form component and validates it on its own (refName uniqueness is the form's business). */
export function buildFormComponent<T extends FormComponentType>(
  type: T,
  refName: string,
  fields: Partial<Omit<FormComponentOf<T>, 'refName' | 'formComponentType'>> | Record<string, unknown> = {},
): FormComponentOf<T> {
  const component = {
    refName,
    formComponentType: type,
    ...fill(FORM_COMPONENTS[type], fields as Record<string, unknown>),
  };
  return validateFormComponent(component) as FormComponentOf<T>;
}

/** Builds a form from its settings and its components, and validates the whole (unique refNames included). */
export function buildForm(
  settings: Partial<FormSettings> | Record<string, unknown>,
  formComponents: ReadonlyArray<AnyFormComponent | Record<string, unknown>>,
): DataComponentOf<'form'> {
  const form = {
    dataComponentType: 'form',
    ...fill(DATA_COMPONENTS.form, { ...settings, formComponents: [...formComponents] }),
  };
  return validateDataComponent(form) as DataComponentOf<'form'>;
}

/**
 * Sets the current value of the form's components from `{refName: value}` (e.g. a lamp's real state), leaving
 * components not named untouched, and validates the result. Returns a new form; the input is not changed.
 */
export function withFormValues<F extends { formComponents: ReadonlyArray<Record<string, unknown>> }>(
  form: F,
  values: Record<string, unknown>,
): F {
  const formComponents = form.formComponents.map((component) =>
    Object.prototype.hasOwnProperty.call(values, component.refName as string)
      ? { ...component, value: values[component.refName as string] }
      : component,
  );
  const updated = { ...form, formComponents };
  validateDataComponent(updated);
  return updated;
}
