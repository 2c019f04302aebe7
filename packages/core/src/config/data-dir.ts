import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/** The environment variable that moves evopt's dataset cache. */
export const DATA_DIR_ENV = 'EVOPT_DATA_DIR';

const APP_NAME = 'evopt';

/** Where the default data dir comes from; parameters so tests can stand in for any OS. */
export interface DataDirContext {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
}

/**
 * The user's cache directory for evopt, following each OS's convention:
 * - Linux and other Unixes: `$XDG_CACHE_HOME/evopt`, else `~/.cache/evopt`
 * - macOS: `~/Library/Caches/evopt`
 * - Windows: `%LOCALAPPDATA%\evopt\Cache`, else `~\AppData\Local\evopt\Cache`
 */
export function userCacheDir(context: DataDirContext = {}): string {
  const env = context.env ?? process.env;
  const platform = context.platform ?? process.platform;
  const home = context.home ?? homedir();
  if (platform === 'win32') {
    const local = env['LOCALAPPDATA'] || win32.join(home, 'AppData', 'Local');
    return win32.join(local, APP_NAME, 'Cache');
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Caches', APP_NAME);
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.cache');
  return posix.join(base, APP_NAME);
}

/**
 * The data dir a config gets when it names none: `$EVOPT_DATA_DIR` when set (relative values are
 * resolved by the caller against the working directory), else {@link userCacheDir}.
 */
export function defaultDataDir(context: DataDirContext = {}): string {
  const fromEnv = (context.env ?? process.env)[DATA_DIR_ENV];
  return fromEnv ? fromEnv : userCacheDir(context);
}
