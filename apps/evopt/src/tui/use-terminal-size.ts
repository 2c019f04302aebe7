import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** The terminal's size when the stream does not know it (a pipe): $COLUMNS and $LINES, else 80×24. */
export function streamSize(
  stream: { columns?: number; rows?: number },
  env: NodeJS.ProcessEnv = process.env,
): TerminalSize {
  return {
    columns: stream.columns || Number(env['COLUMNS']) || 80,
    rows: stream.rows || Number(env['LINES']) || 24,
  };
}

/** The terminal's size, read again on every 'resize'; `fixed` (tests) overrides it. */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => fixed ?? streamSize(stdout));
  useEffect(() => {
    if (fixed) return;
    const resized = () => setSize(streamSize(stdout));
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}
