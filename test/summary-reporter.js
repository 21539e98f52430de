/**
 * Ends every jest run with one plain line, "N passed, N failed, N skipped", so any reader (a person, a CI
 * log scraper) gets the verdict without parsing jest's table.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failedSuites = results.numFailedTestSuites + results.numRuntimeErrorTestSuites;
    const suiteNote = failedSuites > 0 ? ` (${failedSuites} test files failed to run or pass)` : '';
    process.stdout.write(
      `\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped${suiteNote}\n`,
    );
  }
}

module.exports = SummaryReporter;
