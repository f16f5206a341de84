// Validation of data components (the payload of every message), one function per documented type, so deeper
// checks can be added type by type. Each validator throws a 400 ApiError naming the offending field.
import { badRequest } from './envelope';
import { checkFormComponent, checkGauge, inRange, oneOf } from './component-rules';
import { isObject, JsonObject } from './validate';

export type DataComponent = JsonObject & { dataComponentType: string };

type Validator = (dc: JsonObject, where: string) => void;

function requireString(dc: JsonObject, field: string, where: string): void {
  if (typeof dc[field] !== 'string') throw badRequest(`${where}.${field} must be a string`);
}

function optionalType(dc: JsonObject, field: string, type: 'string' | 'number' | 'boolean', where: string): void {
  if (dc[field] !== undefined && dc[field] !== null && typeof dc[field] !== type) {
    throw badRequest(`${where}.${field} must be a ${type}`);
  }
}

function requireStringArray(dc: JsonObject, field: string, where: string): void {
  const value = dc[field];
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw badRequest(`${where}.${field} must be a non-empty array of strings`);
  }
}

function requireNumber(dc: JsonObject, field: string, where: string): void {
  if (typeof dc[field] !== 'number' || !Number.isFinite(dc[field]))
    throw badRequest(`${where}.${field} must be a number`);
}

const validators: Record<string, Validator> = {
  text: (dc, where) => requireString(dc, 'text', where),
  html: (dc, where) => requireString(dc, 'html', where),
  gauge: (dc, where) => {
    optionalType(dc, 'title', 'string', where);
    optionalType(dc, 'displayValue', 'string', where);
    checkGauge(dc, where);
  },
  file: (dc, where) => requireStringArray(dc, 'fileIds', where),
  contact: (dc, where) => requireStringArray(dc, 'contactIds', where),
  location: (dc, where) => {
    requireNumber(dc, 'latitude', where);
    requireNumber(dc, 'longitude', where);
    inRange(dc, 'latitude', -90, 90, where);
    inRange(dc, 'longitude', -180, 180, where);
    optionalType(dc, 'locationName', 'string', where);
  },
  appointment: (dc, where) => {
    requireString(dc, 'title', where);
    if ((dc.title as string).trim() === '') throw badRequest(`${where}.title is required`);
    requireNumber(dc, 'start', where);
    requireNumber(dc, 'end', where);
    // "start ... when the appointment will start", "end ... when it will end": an end before the start is no event.
    if ((dc.end as number) < (dc.start as number))
      throw badRequest(`${where}.end (${String(dc.end)}) is before ${where}.start (${String(dc.start)})`);
    optionalType(dc, 'allDay', 'boolean', where);
    optionalType(dc, 'description', 'string', where);
    if (dc.location !== undefined && dc.location !== null) {
      if (!isObject(dc.location)) throw badRequest(`${where}.location must be an object`);
      requireNumber(dc.location, 'latitude', `${where}.location`);
      requireNumber(dc.location, 'longitude', `${where}.location`);
    }
  },
  webview: (dc, where) => {
    requireString(dc, 'url', where);
    oneOf(dc, 'displayMode', ['link', 'thumbnail', 'liveweb'], where);
    oneOf(dc, 'viewSize', ['1:1', '1:2', '3:2', '2:1'], where);
    optionalType(dc, 'linkDisplayName', 'string', where);
    optionalType(dc, 'enableFullScreenView', 'boolean', where);
  },
  channel: (dc, where) => requireString(dc, 'channelId', where),
  tunnel: (dc, where) => requireString(dc, 'tunnelId', where),
  form: (dc, where) => validateForm(dc, where),
  bucket: (dc, where) => validateBucket(dc, where),
};

/** The data component types the documentation lists for sending (formsubmission is produced by the server only). */
export const DATA_COMPONENT_TYPES = Object.keys(validators);

export function validateDataComponent(value: unknown, where = 'dataComponent'): DataComponent {
  if (!isObject(value)) throw badRequest(`${where} must be a JSON object`);
  const type = value.dataComponentType;
  if (typeof type !== 'string') throw badRequest(`${where}.dataComponentType is required`);
  const validator = validators[type];
  if (!validator) {
    throw badRequest(`${where}.dataComponentType "${type}" is not one of: ${DATA_COMPONENT_TYPES.join(', ')}`);
  }
  validator(value, where);
  return value as DataComponent;
}

/** Replies carry text only; the group chat example omits dataComponentType, so it is optional here. */
export function validateReplyComponent(value: unknown): DataComponent {
  const where = 'dataComponent';
  if (!isObject(value)) throw badRequest(`${where} must be a JSON object`);
  if (value.dataComponentType !== undefined && value.dataComponentType !== 'text') {
    throw badRequest(`${where}: a reply can only contain text (dataComponentType "text")`);
  }
  requireString(value, 'text', where);
  return { ...value, dataComponentType: 'text' } as DataComponent;
}

const FORM_RECEIVER_TYPES = ['contact', 'groupchat', 'channel'];

function validateForm(dc: JsonObject, where: string): void {
  const components = dc.formComponents;
  if (!Array.isArray(components)) throw badRequest(`${where}.formComponents must be an array`);
  const refNames = new Map<unknown, number>();
  components.forEach((component, i) => {
    const at = `${where}.formComponents[${i}]`;
    if (!isObject(component)) throw badRequest(`${at} must be an object`);
    requireString(component, 'formComponentType', at);
    requireString(component, 'refName', at);
    // Submissions are addressed by refName: two components sharing one would be indistinguishable.
    if (refNames.has(component.refName)) {
      throw badRequest(
        `${at}.refName "${String(component.refName)}" is already used by formComponents[${refNames.get(component.refName)}]`,
      );
    }
    refNames.set(component.refName, i);
    checkFormComponent(component, at);
  });
  optionalType(dc, 'refName', 'string', where);
  optionalType(dc, 'submitText', 'string', where);
  for (const flag of ['submitEnabled', 'retainStatus', 'authorizeSubmit', 'hideSubmissionMsg'])
    optionalType(dc, flag, 'boolean', where);
  oneOf(dc, 'align', ['left', 'center', 'right'], where);
  if (dc.receiver !== undefined && dc.receiver !== null) {
    const receiver = dc.receiver;
    if (!isObject(receiver)) throw badRequest(`${where}.receiver must be an object`);
    requireString(receiver, 'id', `${where}.receiver`);
    if (!FORM_RECEIVER_TYPES.includes(receiver.featureType as string)) {
      throw badRequest(`${where}.receiver.featureType must be one of: ${FORM_RECEIVER_TYPES.join(', ')}`);
    }
  }
}

/** A bucket either references an existing bucket (bucketId) or describes a new one (no bucketId). */
function validateBucket(dc: JsonObject, where: string): void {
  optionalType(dc, 'bucketId', 'string', where);
  oneOf(dc, 'role', ['Owner', 'Admin', 'Editor', 'Viewer'], where);
  optionalType(dc, 'title', 'string', where);
  optionalType(dc, 'description', 'string', where);
  optionalType(dc, 'visible', 'boolean', where);
  optionalType(dc, 'locked', 'boolean', where);
  optionalType(dc, 'enableReactions', 'boolean', where);
  if (dc.dataComponents !== undefined) {
    if (!Array.isArray(dc.dataComponents)) throw badRequest(`${where}.dataComponents must be an array`);
    dc.dataComponents.forEach((child, i) => validateDataComponent(child, `${where}.dataComponents[${i}]`));
  }
}
