import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable } from './table.js';

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
});
