// The host ops other extensions reach through `internal` (the core ops object is private to this file).
internal.hostReportUncaught = (text) => ops.reportUncaught(text);
internal.hostNow = () => ops.now();
internal.hostTimeOrigin = ops.timeOrigin();
internal.queueTask = (task) => ops.queueTask(task, true); // a macrotask on the context's loop
// The same for a task that only moves body bytes: not charged to the request's CPU limit (cpuMs).
internal.queueBodyTask = (task) => ops.queueTask(task, false);
// GraalJS defines a `Java` global whenever host access is configured; apps must not see it.
delete globalThis.Java;
