import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PLAIN, healthText, makeStyle, statusText } from './style.js';

const ESC = '\x1b';

describe('style', () => {
  const colour = makeStyle(true);
  const cases: [string, string, string][] = [
    // [input, coloured, what colour]
    [statusText('True', colour), `${ESC}[32mTrue${ESC}[0m`, 'True is green'],
    [statusText('False', colour), `${ESC}[31mFalse${ESC}[0m`, 'False is red'],
    [statusText(undefined, colour), `${ESC}[33mUnknown${ESC}[0m`, 'absent is Unknown, yellow'],
    [healthText('Healthy', colour), `${ESC}[32mHealthy${ESC}[0m`, 'Healthy is green'],
    [healthText('Unhealthy', colour), `${ESC}[31mUnhealthy${ESC}[0m`, 'Unhealthy is red'],
    [colour.bold(''), '', 'empty text gets no codes'],
  ];
  for (const [got, want, what] of cases) it(what, () => assert.equal(got, want));

  it('PLAIN never writes an escape code', () => {
    for (const text of [
      statusText('True', PLAIN),
      statusText('False', PLAIN),
      healthText('Unhealthy', PLAIN),
      PLAIN.bold('x'),
    ])
      assert.ok(!text.includes(ESC), text);
  });
});
