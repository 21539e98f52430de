export { errorRecord, startJob, type FinishOptions, type JobRun, type StartJobOptions } from './job-run';
