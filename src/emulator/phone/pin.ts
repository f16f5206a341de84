// authorizeSubmit: the app protects the submission with the phone's PIN or biometrics. The emulator has
// neither, so a PIN sheet stands in for them and accepts any four digits.
import { h } from './dom.js';

export function askPin(action: string): Promise<boolean> {
  return new Promise((resolve) => {
    const input = h('input', {
      type: 'password',
      inputmode: 'numeric',
      maxlength: 4,
      class: 'pin-input',
      autocomplete: 'off',
      'aria-label': 'PIN',
    });
    const ok = h('button', { type: 'submit', class: 'submit-button' }, 'Confirm');
    const cancel = h('button', { type: 'button', class: 'link-button' }, 'Cancel');
    const error = h('div', 'pin-error');
    const sheet = h(
      'form',
      'sheet pin-sheet',
      h('div', 'sheet-title', '🔒 Confirm with your PIN'),
      h(
        'div',
        'field-hint',
        `“${action}” needs your authorization. Stand-in for the phone's PIN or biometrics: any 4 digits.`,
      ),
      input,
      error,
      h('div', 'sheet-actions', cancel, ok),
    );
    const overlay = h('div', 'overlay', sheet);
    const close = (result: boolean): void => {
      overlay.remove();
      resolve(result);
    };
    sheet.addEventListener('submit', (event) => {
      event.preventDefault();
      if (/^\d{4}$/.test(input.value)) close(true);
      else error.textContent = 'Enter 4 digits';
    });
    cancel.addEventListener('click', () => close(false));
    overlay.addEventListener('click', (event) => {
      if (event.target === overlay) close(false);
    });
    document.body.appendChild(overlay);
    input.focus();
  });
}
