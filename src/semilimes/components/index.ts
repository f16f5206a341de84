/** Data and form components: one declarative definition per type, the types, validation and builders made from it. */
export { DATA_COMPONENTS, DATA_COMPONENT_TYPES, type DataComponentType } from './data-components';
export { FORM_COMPONENTS, FORM_COMPONENT_TYPES, type FormComponentType } from './form-components';
export type { FieldSpec, ComponentDefinition, ShapeOf, FieldValue } from './fields';
export { ComponentValidationError, validateDataComponent, validateFormComponent } from './validate';
export {
  buildDataComponent,
  buildFormComponent,
  buildForm,
  withFormValues,
  type DataComponentOf,
  type FormComponentOf,
  type AnyFormComponent,
  type FormSettings,
} from './build';
export { coerceSubmittedValue } from './coerce';
export { describeComponents, type ComponentDescriptions } from './describe';
