import { DATA_COMPONENTS, type DataComponentType } from './data-components';
import type { ComponentDefinition, FieldSpec } from './fields';
import { FORM_COMPONENTS, type FormComponentType } from './form-components';
import { SemilimesError } from '../errors';

const COLOR = /^#[0-9A-Fa-f]{6}$/;

function show(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A component that breaks a documented rule. The message names the component, the field, the value and the rule,
 * e.g. `gauge: thickness = 5 must be between 10 and 100`; the parts are also kept as properties for code.
 */
export class ComponentValidationError extends SemilimesError {
  constructor(
    /** Where the component sits and what it is, e.g. `form > slider "level"`. */
    readonly component: string,
    /** Path of the field inside the component, e.g. `segments[1].to`. */
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super('INVALID_INPUT', `${component}: ${field} = ${show(value)} ${rule}`);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks one value against its spec; `fail` reports at `path`. */
function checkField(
  spec: FieldSpec,
  value: unknown,
  path: string,
  fail: (path: string, value: unknown, rule: string) => never,
  where: string,
): void {
  if (value === null) {
    if (spec.nullable) return;
    fail(path, value, 'must not be null');
  }
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') fail(path, value, 'must be a string');
      if (spec.nonEmpty && value.trim() === '') fail(path, value, 'must not be empty');
      if (spec.enum && !spec.enum.includes(value)) fail(path, value, `must be one of: ${spec.enum.join(', ')}`);
      if (spec.format === 'color' && !COLOR.test(value)) fail(path, value, 'must be a color in #RRGGBB form');
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, value, 'must be a number');
      if (spec.min !== undefined && spec.max !== undefined && (value < spec.min || value > spec.max)) {
        fail(path, value, `must be between ${spec.min} and ${spec.max}`);
      }
      if (spec.min !== undefined && value < spec.min) fail(path, value, `must be at least ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) fail(path, value, `must be at most ${spec.max}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(path, value, 'must be true or false');
      return;
    case 'array': {
      if (!Array.isArray(value)) fail(path, value, 'must be an array');
      if (spec.minItems !== undefined && value.length < spec.minItems)
        fail(path, value, `must have at least ${spec.minItems} item(s)`);
      value.forEach((item, i) => checkField(spec.items, item, `${path}[${i}]`, fail, where));
      if (spec.uniqueBy) {
        const key = spec.uniqueBy;
        const seen = new Set<unknown>();
        value.forEach((item, i) => {
          const id = (item as Record<string, unknown>)[key];
          if (seen.has(id)) fail(`${path}[${i}].${key}`, id, `must be unique within ${path}`);
          seen.add(id);
        });
      }
      return;
    }
    case 'object':
      if (!isPlainObject(value)) fail(path, value, 'must be an object');
      checkFields(spec.fields, value, spec.open === true, path, fail, where);
      return;
    case 'any':
      if (value === undefined) fail(path, value, 'must have a value');
      return;
    case 'dataComponent':
      validateDataComponent(value, `${where} > ${path}`);
      return;
    case 'formComponent':
      validateFormComponent(value, `${where} > ${path}`);
      return;
  }
}

function checkFields(
  fields: Readonly<Record<string, FieldSpec>>,
  object: Record<string, unknown>,
  open: boolean,
  prefix: string,
  fail: (path: string, value: unknown, rule: string) => never,
  where: string,
): void {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  for (const [name, spec] of Object.entries(fields)) {
    const value = object[name];
    if (value === undefined) {
      if (spec.required) fail(at(name), value, 'is required');
      continue;
    }
    checkField(spec, value, at(name), fail, where);
  }
  if (!open) {
    // A misspelt field would be silently ignored by the app; saying so is kinder.
    for (const name of Object.keys(object)) {
      if (!(name in fields))
        fail(at(name), object[name], `is not a documented field (known: ${Object.keys(fields).join(', ') || 'none'})`);
    }
  }
}

function check(
  definition: ComponentDefinition,
  component: Record<string, unknown>,
  own: string[],
  where: string,
): void {
  const fail = (field: string, value: unknown, rule: string): never => {
    throw new ComponentValidationError(where, field, value, rule);
  };
  const rest: Record<string, unknown> = { ...component };
  for (const key of own) delete rest[key];
  checkFields(definition.fields, rest, false, '', fail, where);
  for (const rule of definition.rules ?? []) rule(component, fail);
}

/**
 * Checks a data component (and everything inside it: a form's components, a bucket's children) against the
 * documented rules. Throws a ComponentValidationError at the first broken rule; returns the component otherwise.
 */
export function validateDataComponent(component: unknown, where = ''): Record<string, unknown> {
  const label = (type: string) => (where ? `${where} (${type})` : type);
  if (!isPlainObject(component))
    throw new ComponentValidationError(where || 'data component', 'dataComponentType', component, 'needs an object');
  const type = component.dataComponentType;
  if (typeof type !== 'string' || !(type in DATA_COMPONENTS)) {
    throw new ComponentValidationError(
      where || 'data component',
      'dataComponentType',
      type,
      `must be one of: ${Object.keys(DATA_COMPONENTS).join(', ')}`,
    );
  }
  check(DATA_COMPONENTS[type as DataComponentType], component, ['dataComponentType'], label(type));
  return component;
}

/** Checks one form component; `where` says where it sits (e.g. `form > formComponents[2]`). */
export function validateFormComponent(component: unknown, where = ''): Record<string, unknown> {
  if (!isPlainObject(component))
    throw new ComponentValidationError(where || 'form component', 'formComponentType', component, 'needs an object');
  const type = component.formComponentType;
  if (typeof type !== 'string' || !(type in FORM_COMPONENTS)) {
    throw new ComponentValidationError(
      where || 'form component',
      'formComponentType',
      type,
      `must be one of: ${Object.keys(FORM_COMPONENTS).join(', ')}`,
    );
  }
  const name = typeof component.refName === 'string' ? ` "${component.refName}"` : '';
  const label = `${where ? `${where} ` : ''}${type}${name}`;
  if (typeof component.refName !== 'string' || component.refName.trim() === '') {
    throw new ComponentValidationError(
      label,
      'refName',
      component.refName,
      'is required (a non-empty string naming the value in submissions)',
    );
  }
  check(FORM_COMPONENTS[type as FormComponentType], component, ['formComponentType', 'refName'], label);
  return component;
}
