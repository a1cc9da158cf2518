namespace Bridge.MediaWorker.Calls;

/// <summary>
/// The assistant's words against what the caller heard of them: the model says what it plans to say (a speculative
/// transcript) before its audio, and what it said (final) long before that audio has played; when the caller cuts in,
/// the words are cut where the caller stopped hearing them. Positions are the playout's (µ-law bytes queued).
/// Thread-safe.
/// </summary>
internal sealed class HeardTurns
{
    private readonly Lock _gate = new();
    private string _plannedText = "";
    private long _plannedStart;

    /// <summary>The model's plan for its next words; their audio begins at <paramref name="queuedPosition"/>.</summary>
    public void Planned(string text, long queuedPosition)
    {
        lock (_gate)
        {
            _plannedText = text;
            _plannedStart = queuedPosition;
        }
    }

    /// <summary>What the model said (now in the history); a barge-in before its audio has played cuts it back there.</summary>
    public void Said(string text)
    {
        lock (_gate)
        {
            _plannedText = text;
        }
    }

    /// <summary>
    /// The caller stopped hearing the assistant at <paramref name="cut"/>: the words being spoken, and the part of
    /// them heard (cut at a word, with an ellipsis). Forgets them.
    /// </summary>
    public (string Said, string Heard) Cut(PlayoutCut cut)
    {
        lock (_gate)
        {
            var said = _plannedText;
            _plannedText = "";
            if (said.Length == 0)
            {
                return ("", "");
            }
            var produced = cut.QueuedPosition - _plannedStart;
            var fraction = produced <= 0 ? 0 : (double)(cut.HeardPosition - _plannedStart) / produced;
            return (said, SpokenText.HeardPart(said, fraction));
        }
    }
}
