import type { ComponentDefinition, CrossFieldRule } from './fields';
import { GAUGE_FIELDS, segmentRule } from './gauge';
import { uniqueRefNames } from './form-components';

/** An appointment cannot end before it starts. */
const startBeforeEnd: CrossFieldRule = (c, fail) => {
  if ((c.end as number) < (c.start as number)) fail('end', c.end, `must not be before start (${c.start as number})`);
};

const idList = { kind: 'array', required: true, minItems: 1, items: { kind: 'string', nonEmpty: true } } as const;

/**
 * Every data component the documentation lists for sending, one definition each (the form's components are in
 * form-components.ts). Fields, ranges, enums and defaults are the documentation's; `required` marks what the
 * documentation calls required plus the one field without which the component means nothing (a text's text).
 */
export const DATA_COMPONENTS = {
  text: { fields: { text: { kind: 'string', required: true, nonEmpty: true } } },
  html: { fields: { html: { kind: 'string', required: true, nonEmpty: true } } },
  gauge: { fields: GAUGE_FIELDS, rules: [segmentRule] },
  file: { fields: { fileIds: idList } },
  contact: { fields: { contactIds: idList } },
  location: {
    fields: {
      locationName: { kind: 'string' },
      latitude: { kind: 'number', required: true, min: -90, max: 90 },
      longitude: { kind: 'number', required: true, min: -180, max: 180 },
    },
  },
  appointment: {
    fields: {
      title: { kind: 'string', required: true, nonEmpty: true },
      description: { kind: 'string' },
      start: { kind: 'number', required: true, min: 0 },
      end: { kind: 'number', required: true, min: 0 },
      allDay: { kind: 'boolean', default: false },
      location: {
        kind: 'object',
        fields: {
          latitude: { kind: 'number', required: true, min: -90, max: 90 },
          longitude: { kind: 'number', required: true, min: -180, max: 180 },
        },
      },
      // Documented only as "a parameter to" (the sentence is cut off): accepted as a string, never required.
      timezone: { kind: 'string' },
    },
    rules: [startBeforeEnd],
  },
  webview: {
    fields: {
      url: { kind: 'string', required: true, nonEmpty: true },
      displayMode: { kind: 'string', enum: ['link', 'thumbnail', 'liveweb'], default: 'link' },
      linkDisplayName: { kind: 'string' },
      enableFullScreenView: { kind: 'boolean' },
      viewSize: { kind: 'string', enum: ['1:1', '1:2', '3:2', '2:1'] },
    },
  },
  channel: { fields: { channelId: { kind: 'string', required: true, nonEmpty: true } } },
  tunnel: { fields: { tunnelId: { kind: 'string', required: true, nonEmpty: true } } },
  form: {
    fields: {
      submitEnabled: { kind: 'boolean', default: true },
      retainStatus: { kind: 'boolean', default: false },
      align: { kind: 'string', enum: ['left', 'center', 'right'], default: 'left' },
      authorizeSubmit: { kind: 'boolean', default: false },
      submitText: { kind: 'string', default: '' },
      receiver: {
        kind: 'object',
        fields: {
          id: { kind: 'string', required: true, nonEmpty: true },
          featureType: { kind: 'string', required: true, enum: ['contact', 'groupchat', 'channel'] },
        },
      },
      hideSubmissionMsg: { kind: 'boolean', default: false },
      refName: { kind: 'string' },
      formComponents: { kind: 'array', required: true, items: { kind: 'formComponent' } },
    },
    rules: [uniqueRefNames],
  },
  // With a bucketId the bucket references an existing one; without, it describes a bucket to create.
  bucket: {
    fields: {
      bucketId: { kind: 'string', nonEmpty: true },
      title: { kind: 'string' },
      description: { kind: 'string' },
      role: { kind: 'string', enum: ['Owner', 'Admin', 'Editor', 'Viewer'] },
      ownerId: { kind: 'string' },
      avatar: { kind: 'string' },
      visible: { kind: 'boolean' },
      locked: { kind: 'boolean' },
      enableReactions: { kind: 'boolean' },
      dataComponents: { kind: 'array', items: { kind: 'dataComponent' } },
    },
  },
} as const satisfies Record<string, ComponentDefinition>;

export type DataComponentType = keyof typeof DATA_COMPONENTS;
export const DATA_COMPONENT_TYPES = Object.keys(DATA_COMPONENTS) as DataComponentType[];
