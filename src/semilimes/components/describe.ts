import { DATA_COMPONENTS } from './data-components';
import type { ComponentDefinition, FieldSpec } from './fields';
import { FORM_COMPONENTS } from './form-components';

/** The definitions as plain JSON (rules are code and stay behind), for the Node-RED editor to build its dialogs from. */
export interface ComponentDescriptions {
  dataComponents: Record<string, { fields: Record<string, FieldSpec> }>;
  formComponents: Record<string, { fields: Record<string, FieldSpec> }>;
}

function describeAll(
  definitions: Record<string, ComponentDefinition>,
): Record<string, { fields: Record<string, FieldSpec> }> {
  const out: Record<string, { fields: Record<string, FieldSpec> }> = {};
  for (const [type, definition] of Object.entries(definitions))
    out[type] = { fields: structuredClone(definition.fields) as Record<string, FieldSpec> };
  return out;
}

export function describeComponents(): ComponentDescriptions {
  return { dataComponents: describeAll(DATA_COMPONENTS), formComponents: describeAll(FORM_COMPONENTS) };
}
