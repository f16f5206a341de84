'use strict';
// A promise rejected with nobody listening, and handled only later, is a bug in waiting (Node prints
// PromiseRejectionHandledWarning, or ends the process in its strictest mode). This root hook makes it fail the run,
// naming the rejection, instead of leaving a warning in the output.
const late = [];
const onHandledLate = (promise) => {
  promise.catch((reason) => late.push(reason && reason.stack ? reason.stack : String(reason)));
};
process.on('rejectionHandled', onHandledLate);

exports.mochaHooks = {
  afterAll() {
    process.off('rejectionHandled', onHandledLate);
    if (late.length)
      throw new Error(
        `promise rejections handled only after they were reported as unhandled:\n${late.join('\n---\n')}`,
      );
  },
};
