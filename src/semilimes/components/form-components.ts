import type { ComponentDefinition, CrossFieldRule } from './fields';
import { GAUGE_FIELDS, segmentRule } from './gauge';

// Fields many form components share, spelled once.
const title = (text: string) => ({ kind: 'string', default: text }) as const;
const actionButtonTitle = (text: string) => ({ kind: 'string', default: text }) as const;
const requiredSelection = { kind: 'boolean', default: false } as const;
const multiSelection = { kind: 'boolean', default: false } as const;
const textValue = { kind: 'string', nullable: true } as const;

/** Choices of button lists, single and multi choice: `name` identifies, `value` is what the person sees. */
const choiceFields = { name: { kind: 'string', required: true, nonEmpty: true }, value: { kind: 'string' } } as const;
/** Buttons may show an icon (a Google Fonts icon name) instead of text. */
const buttonFields = {
  ...choiceFields,
  type: { kind: 'string', enum: ['text', 'icon'] },
  icon: { kind: 'object', fields: { name: { kind: 'string' } } },
} as const;

const options = <F extends typeof choiceFields | typeof buttonFields>(fields: F) =>
  ({
    kind: 'array',
    required: true,
    minItems: 1,
    uniqueBy: 'name',
    items: { kind: 'object', fields },
    default: [
      { name: 'option1', value: 'Option 1' },
      { name: 'option2', value: 'Option 2' },
    ],
  }) as const;

/** A picked file or photo, as a submission carries it. */
const pickedFiles = {
  kind: 'array',
  nullable: true,
  items: {
    kind: 'object',
    fields: {
      fileType: { kind: 'string' },
      fileID: { kind: 'string' },
      fileName: { kind: 'string' },
      fileSize: { kind: 'number', min: 0 },
    },
  },
} as const;

const sliderRange: CrossFieldRule = (c, fail) => {
  const min = (c.min ?? 0) as number;
  const max = (c.max ?? 100) as number;
  if (!(min < max)) fail('min', c.min, `must be less than max (${max})`);
  if (c.step !== undefined && !((c.step as number) > 0)) fail('step', c.step, 'must be greater than 0');
  if (typeof c.value === 'number' && (c.value < min || c.value > max))
    fail('value', c.value, `must be between min (${min}) and max (${max})`);
};

/** A choice's current value must name one of its options (else the app would show nothing selected). */
const valueNamesAnOption: CrossFieldRule = (c, fail) => {
  const names = new Set(((c.options ?? []) as Array<{ name: string }>).map((o) => o.name));
  const chosen =
    c.value === null || c.value === undefined || c.value === '' ? [] : Array.isArray(c.value) ? c.value : [c.value];
  for (const name of chosen) {
    if (!names.has(name as string)) fail('value', c.value, `must name one of the options (${[...names].join(', ')})`);
  }
};

/**
 * Every form component type the documentation lists, one definition each. `refName` and `formComponentType` are
 * added to every one by the validator and the builders (they are the same for all). Defaults are what a new
 * component starts with in the editor.
 */
export const FORM_COMPONENTS = {
  label: { fields: { title: title('Label'), value: { kind: 'string' } } },
  textbox: { fields: { title: title('Textbox'), requiredSelection, value: textValue } },
  gauge: { fields: GAUGE_FIELDS, rules: [segmentRule] },
  buttonlist: {
    fields: {
      title: title('Buttons'),
      requiredSelection,
      value: textValue,
      verticalList: { kind: 'boolean', default: false },
      lineSize: { kind: 'string', enum: ['flexible', '1', '2', '3', '4', '5', '6'], default: 'flexible' },
      options: options(buttonFields),
    },
  },
  singlechoice: {
    fields: {
      title: title('Single choice'),
      requiredSelection,
      mode: { kind: 'string', enum: ['list', 'dropdown'], default: 'list' },
      value: textValue,
      options: options(choiceFields),
    },
    rules: [valueNamesAnOption],
  },
  multichoice: {
    fields: {
      title: title('Multi choice'),
      requiredSelection,
      value: { kind: 'array', nullable: true, items: { kind: 'string' } },
      options: options(choiceFields),
    },
    rules: [valueNamesAnOption],
  },
  switch: { fields: { title: title('Switch'), value: { kind: 'boolean', default: false } } },
  slider: {
    fields: {
      title: title('Slider'),
      requiredSelection,
      value: { kind: 'number', nullable: true },
      min: { kind: 'number', default: 0 },
      max: { kind: 'number', default: 100 },
      step: { kind: 'number', default: 1 },
    },
    rules: [sliderRange],
  },
  datepicker: {
    fields: {
      title: title('Date'),
      requiredSelection,
      value: textValue,
      actionButtonTitle: actionButtonTitle('Select Date'),
    },
  },
  timepicker: {
    fields: {
      title: title('Time'),
      requiredSelection,
      value: textValue,
      actionButtonTitle: actionButtonTitle('Select Time'),
    },
  },
  locationpicker: {
    fields: {
      title: title('Location'),
      requiredSelection,
      value: { kind: 'any', nullable: true },
      actionButtonTitle: actionButtonTitle('Select Location'),
      currentLocationOnly: { kind: 'boolean', default: false },
    },
  },
  photopicker: {
    fields: {
      title: title('Photos'),
      requiredSelection,
      value: pickedFiles,
      actionButtonTitle: actionButtonTitle('Select Photos'),
      multiSelection,
    },
  },
  filepicker: {
    fields: {
      title: title('Files'),
      requiredSelection,
      value: pickedFiles,
      actionButtonTitle: actionButtonTitle('Select Files'),
      multiSelection,
    },
  },
  contactpicker: {
    fields: {
      title: title('Contacts'),
      requiredSelection,
      value: { kind: 'array', nullable: true, items: { kind: 'string' } },
      actionButtonTitle: actionButtonTitle('Select Contacts'),
      multiSelection,
    },
  },
  colorpicker: {
    fields: {
      title: title('Color'),
      requiredSelection,
      value: textValue,
      actionButtonTitle: actionButtonTitle('Select Color'),
    },
  },
  bucketpicker: {
    fields: {
      title: title('Bucket'),
      requiredSelection,
      value: {
        kind: 'array',
        nullable: true,
        items: { kind: 'object', fields: { id: { kind: 'string' }, featureType: { kind: 'string' } }, open: true },
      },
      filter: {
        kind: 'object',
        fields: {
          types: {
            kind: 'array',
            minItems: 1,
            items: { kind: 'string', enum: ['post', 'profile', 'groupchat', 'channel'] },
          },
        },
      },
      actionButtonTitle: actionButtonTitle('Select Bucket'),
      multiSelection,
    },
  },
  eventpicker: {
    fields: {
      title: title('Events'),
      requiredSelection,
      multiSelection,
      eventsDisplayMode: { kind: 'string', enum: ['list', 'buttons'], default: 'list' },
      events: {
        kind: 'array',
        required: true,
        uniqueBy: 'id',
        items: {
          kind: 'object',
          fields: {
            id: { kind: 'string', required: true, nonEmpty: true },
            start: { kind: 'number', required: true, min: 0 },
            title: { kind: 'string' },
            description: { kind: 'string' },
            referenceBucketId: { kind: 'string' },
            additionalInfo: { kind: 'object', fields: {}, open: true },
          },
        },
        default: [],
      },
      value: { kind: 'array', nullable: true, items: { kind: 'object', fields: {}, open: true } },
    },
  },
  hiddenvalue: { fields: { value: { kind: 'any', nullable: true } } },
  callbutton: { fields: { title: title('Call'), actionButtonTitle: actionButtonTitle('Call') } },
  qrcodescanner: {
    fields: {
      title: title('QR Code'),
      requiredSelection,
      mode: { kind: 'string', enum: ['auto', 'qrcode', 'barcode'], default: 'auto' },
      value: textValue,
      actionButtonTitle: actionButtonTitle('Scan QR Code'),
    },
  },
  nfcreader: {
    fields: {
      title: title('NFC Reader'),
      requiredSelection,
      value: textValue,
      actionButtonTitle: actionButtonTitle('Read NFC'),
    },
  },
} as const satisfies Record<string, ComponentDefinition>;

export type FormComponentType = keyof typeof FORM_COMPONENTS;
export const FORM_COMPONENT_TYPES = Object.keys(FORM_COMPONENTS) as FormComponentType[];

/** A form's submission is `{refName: value}`, so two components with one refName would lose a value. */
export const uniqueRefNames: CrossFieldRule = (form, fail) => {
  const seen = new Map<string, number>();
  ((form.formComponents ?? []) as Array<{ refName: string }>).forEach((component, i) => {
    const first = seen.get(component.refName);
    if (first !== undefined)
      fail(
        `formComponents[${i}].refName`,
        component.refName,
        `must be unique in the form (formComponents[${first}] has it too)`,
      );
    seen.set(component.refName, i);
  });
};
