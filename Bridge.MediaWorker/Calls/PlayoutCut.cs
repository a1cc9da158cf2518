namespace Bridge.MediaWorker.Calls;

/// <summary>
/// Where playback stood when it was cleared: bytes queued by then, and how far of them the caller had heard.
/// <paramref name="NothingSinceLastClear"/>: nothing was queued since the previous clear, so the caller heard nothing
/// new to interrupt (the same interruption signalled twice: the call's own barge-in, then the model's).
/// </summary>
internal readonly record struct PlayoutCut(long QueuedPosition, long HeardPosition, bool NothingSinceLastClear = false);
