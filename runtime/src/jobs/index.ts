export {
  connectionStatistics,
  type ConnectionStatistics,
  type ConnectionStatisticsOptions,
  type EntitySyncStatistics,
  type JobFailure,
} from './connection-stats';
export { DEFAULT_STALE_AFTER_MS, markStaleJobs, requestCancel, type StaleJobOptions } from './job-control';
export { errorRecord, startJob, type FinishOptions, type JobRun, type StartJobOptions } from './job-run';
export { jobView, type JobView } from './job-view';
export {
  failedRecords,
  retryFailedRecords,
  type FailedRecord,
  type RetryFailedOptions,
  type RetryOutcome,
} from './retry-failed';
