import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeStyle } from './style.js';
import { formatTable, visibleLength } from './table.js';

const ESC = String.fromCharCode(27);

describe('formatTable', () => {
  it('pads columns to their widest cell and trims trailing blanks', () => {
    assert.equal(
      formatTable([
        ['NAME', 'READY', 'NOTE'],
        ['a-long-name', 'yes', ''],
        ['b', 'no', 'why'],
      ]),
      'NAME          READY   NOTE\na-long-name   yes\nb             no      why\n',
    );
    assert.equal(formatTable([]), '');
  });

  it('measures coloured cells by what shows, so colour does not shift the columns', () => {
    const style = makeStyle(true);
    const plain = formatTable([
      ['A', 'B'],
      ['True', 'x'],
    ]);
    const coloured = formatTable([
      ['A', 'B'],
      [style.green('True'), 'x'],
    ]);
    assert.equal(coloured.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), ''), plain);
    assert.equal(visibleLength(style.red('False')), 5);
  });
});
