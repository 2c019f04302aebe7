import { definePlugin, PLUGIN_API_VERSION } from '@evopt/core';
import { rank } from './strategies/rank.js';
import { roulette } from './strategies/roulette.js';
import { tournament } from './strategies/tournament.js';
import { truncation } from './strategies/truncation.js';

export { rank, roulette, tournament, truncation };
export { drawWeighted } from './weighted.js';

/** evopt's selection strategies: tournament (the paper's), truncation, rank and roulette. */
export default definePlugin({
  name: '@evopt/plugin-selection',
  apiVersion: PLUGIN_API_VERSION,
  version: '0.1.0',
  selections: [tournament, truncation, rank, roulette],
});
