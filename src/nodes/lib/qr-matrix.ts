import qrcode from 'qrcode-generator';

/**
 * The modules of a QR code for a bot address, as rows of '1' (dark) and '0' (light), so the editor can draw it on a
 * canvas without markup from the server. Error correction M: the address links are long (a few hundred characters)
 * and a phone camera reads M-level codes of that size from a laptop screen.
 */
export function qrMatrix(text: string): string[] {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const size = code.getModuleCount();
  const rows: string[] = [];
  for (let row = 0; row < size; row++) {
    let line = '';
    for (let col = 0; col < size; col++) line += code.isDark(row, col) ? '1' : '0';
    rows.push(line);
  }
  return rows;
}
