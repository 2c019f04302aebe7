import { Text } from 'ink';
import { pack } from '../text.js';

export type View = 'main' | 'detail' | 'help';

export interface FooterProps {
  readonly mode: 'live' | 'watch';
  readonly view: View;
  readonly width: number;
  /** After the first q: the run is stopping. */
  readonly stopping: boolean;
}

/** The keys that work in this view, as one line (or two on a narrow terminal). */
export function footerLines({ mode, view, width, stopping }: FooterProps): string[] {
  if (view !== 'main')
    return pack(
      ['esc back', ...(view === 'detail' ? ['e export'] : []), mode === 'live' ? 'q stop the run' : 'q quit'],
      width,
    );
  const keys = [
    stopping ? 'stopping… q again to force' : mode === 'live' ? 'q stop' : 'q quit',
    ...(mode === 'live' ? ['p pause'] : []),
    '↑↓ select',
    'enter open',
    'e export',
    '? help',
  ];
  return pack(keys, width);
}

export function Footer(props: FooterProps) {
  return (
    <>
      {footerLines(props).map((line, i) => (
        <Text key={i} color={props.stopping ? 'yellow' : 'gray'} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </>
  );
}
