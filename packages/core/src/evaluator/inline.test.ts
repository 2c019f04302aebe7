import { describe, expect, it } from 'vitest';
import { isEvoptError } from '../errors.js';
import { FIXTURE_TASK, RecordingSink, fixtureContext, requestsFor } from './__fixtures__/harness.js';
import { InlineEvaluator } from './inline.js';

describe('InlineEvaluator', () => {
  it('evaluates every request once, in order, as worker "inline"', async () => {
    const evaluator = new InlineEvaluator(await fixtureContext());
    const sink = new RecordingSink();
    await evaluator.evaluate(requestsFor([0.01, 0.02, 0.03]), sink);
    expect(sink.records.map((r) => [r.hash, r.worker])).toEqual([
      ['genome-0', 'inline'],
      ['genome-1', 'inline'],
      ['genome-2', 'inline'],
    ]);
    expect(sink.startedKeys).toEqual(['genome-0@inline', 'genome-1@inline', 'genome-2@inline']);
    expect(sink.statuses).toEqual(['inline:busy', 'inline:idle']);
    await evaluator.close();
  });

  it('is deterministic: the same requests give the same records', async () => {
    const evaluator = new InlineEvaluator(await fixtureContext());
    const first = new RecordingSink();
    const second = new RecordingSink();
    await evaluator.evaluate(requestsFor([0.01, 0.05]), first);
    await evaluator.evaluate(requestsFor([0.01, 0.05]), second);
    expect(second.comparable()).toEqual(first.comparable());
    expect(first.records[0]?.score).not.toBe(first.records[1]?.score);
  });

  it('stops at abort: the request in progress gets no record, and evaluate rejects with ABORTED', async () => {
    const evaluator = new InlineEvaluator(await fixtureContext());
    const controller = new AbortController();
    const sink = new RecordingSink();
    sink.onFinished = () => controller.abort();
    const run = evaluator.evaluate(requestsFor([0.01, 0.02, 0.03]), sink, controller.signal);
    await expect(run).rejects.toSatisfy((error) => isEvoptError(error, 'ABORTED'));
    expect(sink.records).toHaveLength(1);
  });

  it('holds back the next request while paused and carries on when resumed', async () => {
    const evaluator = new InlineEvaluator(await fixtureContext());
    const sink = new RecordingSink();
    sink.onFinished = () => {
      if (sink.records.length === 1) evaluator.setPaused(true);
    };
    const run = evaluator.evaluate(requestsFor([0.01, 0.02, 0.03]), sink);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sink.records).toHaveLength(1);
    expect(sink.startedKeys).toHaveLength(1);
    evaluator.setPaused(false);
    await run;
    expect(sink.records).toHaveLength(3);
    await evaluator.close();
  });

  it('stops while paused when the signal aborts', async () => {
    const evaluator = new InlineEvaluator(await fixtureContext());
    const controller = new AbortController();
    evaluator.setPaused(true);
    const sink = new RecordingSink();
    const run = evaluator.evaluate(requestsFor([0.01]), sink, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(run).rejects.toSatisfy((error) => isEvoptError(error, 'ABORTED'));
    expect(sink.records).toHaveLength(0);
    await evaluator.close();
  });

  it("takes overlapping calls in turn: one call's requests never interleave with another's", async () => {
    const evaluator = new InlineEvaluator(await fixtureContext({ [FIXTURE_TASK]: { delayMs: 10 } }));
    expect(evaluator.concurrent).toBe(true);
    const events: string[] = [];
    const sinkFor = () => {
      const sink = new RecordingSink();
      const started = sink.started.bind(sink);
      sink.started = (request, worker) => {
        events.push(`started ${request.hash}`);
        started(request, worker);
      };
      sink.onFinished = (record) => events.push(`finished ${record.hash}`);
      return sink;
    };
    const [a, b] = [sinkFor(), sinkFor()];
    await Promise.all([
      evaluator.evaluate(requestsFor([0.01, 0.02], FIXTURE_TASK, 20, 'a'), a),
      evaluator.evaluate(requestsFor([0.03, 0.04], FIXTURE_TASK, 20, 'b'), b),
    ]);
    expect(events).toEqual(['a-0', 'a-1', 'b-0', 'b-1'].flatMap((hash) => [`started ${hash}`, `finished ${hash}`]));
    expect(a.records.map((r) => r.hash)).toEqual(['a-0', 'a-1']);
    expect(b.records.map((r) => r.hash)).toEqual(['b-0', 'b-1']);
    expect(b.statuses).toEqual(['inline:busy', 'inline:idle']);
    await evaluator.close();
  });

  it('rejects a call aborted while it waits its turn without running it; the calls around it still take turns', async () => {
    const evaluator = new InlineEvaluator(await fixtureContext({ [FIXTURE_TASK]: { delayMs: 20 } }));
    const controller = new AbortController();
    const order: string[] = [];
    const [first, waiting, last] = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
    for (const sink of [first, waiting, last]) sink.onFinished = (record) => order.push(record.hash);
    const runs = [
      evaluator.evaluate(requestsFor([0.01, 0.02], FIXTURE_TASK, 20, 'a'), first),
      evaluator.evaluate(requestsFor([0.03], FIXTURE_TASK, 20, 'b'), waiting, controller.signal),
      evaluator.evaluate(requestsFor([0.04], FIXTURE_TASK, 20, 'c'), last),
    ];
    controller.abort();
    await expect(runs[1]).rejects.toSatisfy((error) => isEvoptError(error, 'ABORTED'));
    await Promise.all([runs[0], runs[2]]);
    expect(waiting.startedKeys).toEqual([]);
    expect(waiting.statuses).toEqual([]);
    expect(order).toEqual(['a-0', 'a-1', 'c-0']);
    await evaluator.close();
  });

  it('refuses to evaluate after close, and close is idempotent', async () => {
    const evaluator = new InlineEvaluator(await fixtureContext());
    await evaluator.close();
    await evaluator.close();
    await expect(evaluator.evaluate(requestsFor([0.01]), new RecordingSink())).rejects.toThrow(/is closed/);
  });
});
