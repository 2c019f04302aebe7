import { describe, expect, it } from 'vitest';
import { describeJsonError, loadJson } from './loaders.js';

// '{ "ga": {' + newline + '  "elites": 2 }' + newline: the parser runs out at offset 26, line 3, column 1.
const CONTENT = '{ "ga": {\n  "elites": 2 }\n';
const CLEAN = "Expected ',' or '}' after property value in JSON at position 26 (line 3, column 1)";

describe('describeJsonError', () => {
  it("gives one message for Node 20's raw error and for Node 24's, which already names the line", () => {
    const node20 = "Expected ',' or '}' after property value in JSON at position 26";
    const node24 = "Expected ',' or '}' after property value in JSON at position 26 (line 3 column 1)";
    expect(describeJsonError(node20, CONTENT)).toBe(CLEAN);
    expect(describeJsonError(node24, CONTENT)).toBe(CLEAN);
  });

  it("takes line and column from the content, not from Node's suffix", () => {
    const content = '{\n  "seed": 1,\n  "ga": x\n}';
    // Offset 23 is the x: line 3, column 9. A (wrong) suffix from the parser does not survive.
    expect(describeJsonError('Unexpected token in JSON at position 23 (line 1 column 24)', content)).toBe(
      'Unexpected token in JSON at position 23 (line 3, column 9)',
    );
  });

  it('leaves a message without a position as it is', () => {
    expect(describeJsonError('Unexpected end of JSON input', '{')).toBe('Unexpected end of JSON input');
  });

  it("reports this Node's own JSON.parse error in the clean form", () => {
    let message = '';
    try {
      loadJson('/x/evopt.config.json', CONTENT);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`JSON Error in /x/evopt.config.json:\n${CLEAN}`);
  });
});
