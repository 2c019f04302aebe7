import { EvoptError } from '../errors.js';

/** The rejection of an evaluation that was stopped; its unfinished requests are redone on resume. */
export function evaluationAborted(evaluator: string): EvoptError {
  return new EvoptError('ABORTED', `The ${evaluator} evaluator was stopped before every request finished.`, {
    fix: 'Resume the run: finished evaluations are in the journal, and the others are redone.',
    details: { evaluator },
  });
}

/** The error recorded for requests that were in flight on a worker that died. */
export function workerCrashed(worker: string, detail: string, tasks: readonly string[] = []): EvoptError {
  const during = tasks.length > 0 ? ` while evaluating ${tasks.join(', ')}` : '';
  return new EvoptError('WORKER_CRASHED', `Worker ${worker} died${during}: ${detail}`, {
    fix: 'A genome or task killed its worker (process.exit, out of memory, a native crash); the genome scores as failed. If every genome fails this way, run the task with the inline evaluator to see the stack.',
    details: { worker, detail, tasks: [...tasks] },
  });
}

/** Raised when evaluate() is called on a closed evaluator. */
export function evaluatorMisuse(evaluator: string, problem: string, fix: string): EvoptError {
  return new EvoptError('INTERNAL', `The ${evaluator} evaluator ${problem}.`, { fix, details: { evaluator } });
}
