import { Box, Static, Text, useInput, useStdin, type Key } from 'ink';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { BestGenome } from './components/BestGenome.js';
import { EventLog } from './components/EventLog.js';
import { FitnessChart } from './components/FitnessChart.js';
import { Footer, type View } from './components/Footer.js';
import { GenerationProgress } from './components/GenerationProgress.js';
import { GenomeDetail } from './components/GenomeDetail.js';
import { Header } from './components/Header.js';
import { Help } from './components/Help.js';
import { HistoryLine } from './components/HistoryLine.js';
import { TermMix } from './components/TermMix.js';
import { TopGenomes } from './components/TopGenomes.js';
import { Workers } from './components/Workers.js';
import type { FormulaOf } from './formula.js';
import { planLayout } from './layout.js';
import type { GenerationRow, RankedGenome, TuiState } from './state.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';

/** What the keys do outside the view: stopping the run, pausing it, writing files. */
export interface TuiActions {
  /** q (or Ctrl-C, which raw mode turns into a key): once to stop gracefully, again to force. */
  quit(): void;
  /** p: pause or resume dispatching. */
  pause(): void;
  /** e: export this genome (the selected or opened one), or say there is none. */
  exportGenome(genome: RankedGenome | null): void;
}

export interface AppProps {
  readonly store: { subscribe(listener: () => void): () => void; getSnapshot(): TuiState };
  readonly mode: 'live' | 'watch';
  readonly actions: TuiActions;
  readonly formulaOf?: FormulaOf;
  /** A fixed size instead of the terminal's (tests). */
  readonly size?: TerminalSize;
  /** A fixed clock instead of ticking Date.now (tests). */
  readonly now?: number;
}

/** Date.now, re-read every second while the run is running; `fixed` stops it. */
function useClock(fixed: number | undefined, ticking: boolean): number {
  const [now, setNow] = useState(() => fixed ?? Date.now());
  useEffect(() => {
    if (fixed !== undefined || !ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [fixed, ticking]);
  return fixed ?? now;
}

/**
 * The live screen: past generations drawn once above (`<Static>`), then the live area, which
 * shows the run (or help, or one genome in detail) in no more lines than the terminal has.
 */
export function App({ store, mode, actions, formulaOf, size, now: fixedNow }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { columns: width, rows } = useTerminalSize(size);
  const { isRawModeSupported } = useStdin();
  const now = useClock(fixedNow, state.phase === 'running');
  const [view, setView] = useState<View>('main');
  const [selected, setSelected] = useState<number | null>(null);
  const [opened, setOpened] = useState<RankedGenome | null>(null);
  const [stopping, setStopping] = useState(false);
  const index = selected === null || state.top.length === 0 ? null : Math.min(selected, state.top.length - 1);
  const current = state.top[index ?? 0] ?? null;

  // Keys are read through a ref to this render's handler: Ink re-subscribes a changed handler only
  // after the render's effects run, and a key typed before that must not see the previous selection.
  const handle = useRef<(input: string, key: Key) => void>(() => {});
  handle.current = (input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) {
      if (mode === 'live') setStopping(true);
      actions.quit();
    } else if (input === '?') setView((v) => (v === 'help' ? 'main' : 'help'));
    else if (key.escape || key.backspace || key.delete) setView('main');
    else if (input === 'p') actions.pause();
    else if (input === 'e') actions.exportGenome(view === 'detail' ? opened : current);
    else if (view === 'main' && key.upArrow) setSelected(Math.max(0, (index ?? 1) - 1));
    else if (view === 'main' && key.downArrow)
      setSelected(Math.min(Math.max(0, state.top.length - 1), index === null ? 0 : index + 1));
    else if (view === 'main' && key.return && current) {
      setSelected(index ?? 0);
      setOpened(current);
      setView('detail');
    }
  };
  const onInput = useCallback((input: string, key: Key) => handle.current(input, key), []);
  useInput(onInput, { isActive: isRawModeSupported });

  const generations = state.run?.generations ?? null;
  return (
    <>
      <Static items={state.history as GenerationRow[]}>
        {(row) => <HistoryLine key={row.generation} row={row} generations={generations} width={width} />}
      </Static>
      <Box flexDirection="column" width={width}>
        <Header state={state} width={width} now={now} mode={mode} />
        {view === 'help' ? (
          <Help mode={mode} width={width} />
        ) : view === 'detail' && opened ? (
          <GenomeDetail
            genome={opened}
            records={state.records.get(opened.hash) ?? []}
            adam={state.adam.fitness}
            width={width}
            limit={Math.max(1, rows - 14)}
            {...(formulaOf && { formulaOf })}
          />
        ) : (
          <MainView
            state={state}
            width={width}
            rows={rows}
            now={now}
            mode={mode}
            stopping={stopping}
            selected={index}
            {...(formulaOf && { formulaOf })}
          />
        )}
        <Footer mode={mode} view={view === 'detail' && !opened ? 'main' : view} width={width} stopping={stopping} />
      </Box>
    </>
  );
}

interface MainViewProps {
  readonly state: TuiState;
  readonly width: number;
  readonly rows: number;
  readonly now: number;
  readonly mode: 'live' | 'watch';
  readonly stopping: boolean;
  readonly selected: number | null;
  readonly formulaOf?: FormulaOf;
}

function MainView({ state, width, rows, now, mode, stopping, selected, formulaOf }: MainViewProps) {
  const layout = planLayout(state, { width, rows, now, mode, stopping });
  // The configured size: a steady-state generation also lists the genomes told during it, not only its members.
  const populationSize = state.run?.populationSize ?? state.current?.population.length ?? 0;
  const gap = layout.gaps ? <Text> </Text> : null;
  const workers = [...state.workers.values()].filter((w) => w.status !== 'stopped');
  return (
    <>
      <GenerationProgress current={state.current} run={state.run} width={width} />
      {layout.side ? (
        <Box width={width}>
          <FitnessChart history={state.history} width={layout.chartWidth} adam={state.adam.fitness} />
          <Box marginLeft={2}>
            <TermMix
              termCounts={state.termCounts}
              populationSize={populationSize}
              width={layout.termsWidth}
              limit={layout.termLimit}
            />
          </Box>
        </Box>
      ) : (
        <FitnessChart history={state.history} width={width} adam={state.adam.fitness} />
      )}
      <BestGenome best={state.best} adam={state.adam.fitness} width={width} />
      {gap}
      <TopGenomes
        rows={state.top}
        tasks={state.run?.tasks ?? []}
        selected={selected}
        width={width}
        limit={layout.topLimit}
        {...(formulaOf && { formulaOf })}
      />
      {!layout.side && layout.termLimit > 0 && (
        <TermMix termCounts={state.termCounts} populationSize={populationSize} width={width} limit={layout.termLimit} />
      )}
      {gap}
      {layout.workerLimit > 0 && <Workers workers={workers} width={width} limit={layout.workerLimit} />}
      {gap}
      <EventLog entries={state.log} width={width} limit={layout.logLimit} />
    </>
  );
}
