// The host ops other extensions reach through `internal` (the core ops object is private to this file).
internal.hostReportUncaught = (text) => ops.reportUncaught(text);
internal.hostNow = () => ops.now();
internal.hostTimeOrigin = ops.timeOrigin();
