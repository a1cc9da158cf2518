namespace Bridge.MediaWorker.Development;

/// <summary>One thing that happened on a call, as the feed reports it.</summary>
/// <param name="Kind"><c>caller</c>, <c>assistant</c>, <c>local-barge-in</c> or <c>ended</c>.</param>
/// <param name="Text">What was said (for <c>assistant</c> with <paramref name="Interrupted"/>: what the caller heard), or why the call ended.</param>
public sealed record CallEvent(string Kind, string? Text, bool Interrupted = false);
