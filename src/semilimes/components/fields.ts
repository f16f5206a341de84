/**
 * The vocabulary of component definitions: what a field of a data or form component may hold. A definition is plain
 * data (`as const`), so the same object yields the TypeScript type of a component (see `ShapeOf`), its runtime
 * validation (validate.ts) and the editor's field list (describe.ts).
 */

interface FieldBase {
  /** The field must be present (and, for strings marked `nonEmpty`, not blank). */
  readonly required?: boolean;
  /** `null` is accepted, e.g. the `value` of a scanner before anything was scanned. */
  readonly nullable?: boolean;
}

export interface StringField extends FieldBase {
  readonly kind: 'string';
  readonly enum?: readonly string[];
  /** `color`: `#RRGGBB`, as the documentation's `#[0-F]...` pattern says. */
  readonly format?: 'color';
  readonly nonEmpty?: boolean;
  readonly default?: string;
}

export interface NumberField extends FieldBase {
  readonly kind: 'number';
  readonly min?: number;
  readonly max?: number;
  readonly default?: number;
}

export interface BooleanField extends FieldBase {
  readonly kind: 'boolean';
  readonly default?: boolean;
}

export interface ArrayField extends FieldBase {
  readonly kind: 'array';
  readonly items: FieldSpec;
  readonly minItems?: number;
  /** Items are objects whose value under this key must differ (option names, event ids). */
  readonly uniqueBy?: string;
  readonly default?: readonly unknown[];
}

export interface ObjectField extends FieldBase {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Keys beyond `fields` are allowed (the event picker's free `additionalInfo`). */
  readonly open?: boolean;
}

/** Any JSON value (a hidden value, a location picker's answer whose shape the documentation leaves open). */
export interface AnyField extends FieldBase {
  readonly kind: 'any';
}

/** A nested data component (a bucket's children). */
export interface DataComponentField extends FieldBase {
  readonly kind: 'dataComponent';
}

/** A form component (a form's `formComponents`). */
export interface FormComponentField extends FieldBase {
  readonly kind: 'formComponent';
}

export type FieldSpec =
  | StringField
  | NumberField
  | BooleanField
  | ArrayField
  | ObjectField
  | AnyField
  | DataComponentField
  | FormComponentField;

/** Reports a broken rule; never returns. `field` is a path inside the component, e.g. `segments[1].to`. */
export type Fail = (field: string, value: unknown, rule: string) => never;

/** A rule that spans fields (slider min < max, appointment start <= end); runs after every field passed. */
export type CrossFieldRule = (component: Readonly<Record<string, unknown>>, fail: Fail) => void;

export interface ComponentDefinition {
  /** Fields in the documentation's order (builders emit them in this order). */
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly rules?: readonly CrossFieldRule[];
}

// ---- Types from definitions ---------------------------------------------------------------------------------------

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ValueOf<F> = F extends { kind: 'string'; enum: readonly (infer E)[] }
  ? E
  : F extends { kind: 'string' }
    ? string
    : F extends { kind: 'number' }
      ? number
      : F extends { kind: 'boolean' }
        ? boolean
        : F extends { kind: 'array'; items: infer I }
          ? Array<FieldValue<I>>
          : F extends { kind: 'object'; fields: infer Fs; open: true }
            ? ShapeOf<Fs> & Record<string, unknown>
            : F extends { kind: 'object'; fields: infer Fs }
              ? ShapeOf<Fs>
              : F extends { kind: 'dataComponent' | 'formComponent' }
                ? { [field: string]: unknown }
                : unknown;

/** The TypeScript type of a value a field holds. */
export type FieldValue<F> = F extends { nullable: true } ? ValueOf<F> | null : ValueOf<F>;

type RequiredKeys<Fs> = { [K in keyof Fs]: Fs[K] extends { required: true } ? K : never }[keyof Fs];
type OptionalKeys<Fs> = Exclude<keyof Fs, RequiredKeys<Fs>>;

/** The object type described by a record of field specs: required fields required, the others optional. */
export type ShapeOf<Fs> = Simplify<
  { -readonly [K in RequiredKeys<Fs>]: FieldValue<Fs[K]> } & { -readonly [K in OptionalKeys<Fs>]?: FieldValue<Fs[K]> }
>;
