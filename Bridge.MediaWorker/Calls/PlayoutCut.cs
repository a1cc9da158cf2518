namespace Bridge.MediaWorker.Calls;

/// <summary>Where playback stood when it was cleared: bytes queued by then, and how far of them the caller had heard.</summary>
internal readonly record struct PlayoutCut(long QueuedPosition, long HeardPosition);
