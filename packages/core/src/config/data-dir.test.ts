import { describe, expect, it } from 'vitest';
import { defaultDataDir, userCacheDir } from './data-dir.js';

describe('defaultDataDir', () => {
  it('prefers EVOPT_DATA_DIR', () => {
    expect(
      defaultDataDir({
        env: { EVOPT_DATA_DIR: '/data/evopt', XDG_CACHE_HOME: '/xdg' },
        platform: 'linux',
        home: '/home/u',
      }),
    ).toBe('/data/evopt');
  });

  it('uses ~/.cache/evopt on Linux, or XDG_CACHE_HOME when it is absolute', () => {
    expect(defaultDataDir({ env: {}, platform: 'linux', home: '/home/u' })).toBe('/home/u/.cache/evopt');
    expect(defaultDataDir({ env: { XDG_CACHE_HOME: '/xdg' }, platform: 'linux', home: '/home/u' })).toBe('/xdg/evopt');
    expect(defaultDataDir({ env: { XDG_CACHE_HOME: 'relative' }, platform: 'linux', home: '/home/u' })).toBe(
      '/home/u/.cache/evopt',
    );
  });

  it('follows macOS and Windows conventions', () => {
    expect(userCacheDir({ env: {}, platform: 'darwin', home: '/Users/u' })).toBe('/Users/u/Library/Caches/evopt');
    expect(
      userCacheDir({ env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, platform: 'win32', home: 'C:\\Users\\u' }),
    ).toBe('C:\\Users\\u\\AppData\\Local\\evopt\\Cache');
    expect(userCacheDir({ env: {}, platform: 'win32', home: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Local\\evopt\\Cache',
    );
  });
});
