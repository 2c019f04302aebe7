export { resolveSubject, type ResolveSubjectOptions, type SubjectRun, type TrialSubject } from './subjects.js';
export { runTrials, trialRequests, trialSeed, TrialResults, type RunTrialsOptions, type TrialPlan } from './trials.js';
export { createTrialEvaluator, type TrialEvaluator, type TrialSplit } from './evaluator.js';
