// Compile-time checks that the component types are derived from the definitions: compiled (never run) by
// test/client/component-types.test.js. Each @ts-expect-error must be an error, or the compile fails.
import {
  buildDataComponent,
  buildFormComponent,
  type DataComponentOf,
  type FormComponentOf,
} from '../../src/semilimes/components';

// Enums become string literal unions.
const gauge: DataComponentOf<'gauge'> = { dataComponentType: 'gauge', pointer: 'needle', progressBar: 'rounded' };
// @ts-expect-error "arrow" is not a documented pointer
const badPointer: DataComponentOf<'gauge'> = { dataComponentType: 'gauge', pointer: 'arrow' };

// Required fields are required, optional ones optional.
const appointment: DataComponentOf<'appointment'> = {
  dataComponentType: 'appointment',
  title: 'Dentist',
  start: 1,
  end: 2,
};
// @ts-expect-error end is required
const noEnd: DataComponentOf<'appointment'> = { dataComponentType: 'appointment', title: 'Dentist', start: 1 };

// Nested objects and arrays keep their field types.
const segments: DataComponentOf<'gauge'>['segments'] = [{ from: 0, to: 100, color: '#000000' }];
// @ts-expect-error a segment needs a color
const noColor: DataComponentOf<'gauge'>['segments'] = [{ from: 0, to: 100 }];

// Value types per form component: a switch holds a boolean, a multi choice an array of names, a scanner may be null.
const on: FormComponentOf<'switch'>['value'] = true;
// @ts-expect-error a switch's value is a boolean
const notOn: FormComponentOf<'switch'>['value'] = 'on';
const picks: FormComponentOf<'multichoice'>['value'] = ['a', 'b'];
const scanned: FormComponentOf<'qrcodescanner'>['value'] = null;
const mode: FormComponentOf<'singlechoice'>['mode'] = 'dropdown';
// @ts-expect-error only list or dropdown
const grid: FormComponentOf<'singlechoice'>['mode'] = 'grid';

// Builders are typed by their component type.
const slider = buildFormComponent('slider', 'level', { min: 0, max: 10 });
const level: number | null | undefined = slider.value;
// @ts-expect-error a slider has no options
export const noOptions = buildFormComponent('slider', 'level', { options: [] }).options;
const view = buildDataComponent('webview', { url: 'https://example.org', displayMode: 'liveweb', viewSize: '3:2' });
const size: '1:1' | '1:2' | '3:2' | '2:1' | undefined = view.viewSize;

export const used = [
  gauge,
  badPointer,
  appointment,
  noEnd,
  segments,
  noColor,
  on,
  notOn,
  picks,
  scanned,
  mode,
  grid,
  level,
  size,
];
