namespace Bridge.MediaWorker.Calls;

/// <summary>
/// What was said in a call, turn by turn, for the operator's conversation callback: the person's words as the model
/// transcribed them, the agent's as the person heard them (an answer cut short by the person keeps only what played,
/// marked interrupted). Bounded by <paramref name="maxCharacters"/> of text: the opening half and the latest half are
/// kept, the turns between them only counted — a long call's greeting and its ending (where a decision is usually
/// said) both survive. Thread-safe: the model's events and the call's own barge-ins write from different tasks.
/// </summary>
internal sealed class ConversationTranscript(int maxCharacters, TimeProvider time, long startedAt)
{
    public const string Agent = "agent";
    public const string Callee = "callee";

    /// <summary>How many recent turns an interruption looks back through for the answer it cut.</summary>
    private const int CutLookBack = 4;

    private readonly Lock _gate = new();
    private readonly List<Turn> _head = [];
    private readonly LinkedList<Turn> _tail = new();
    private readonly HashSet<string> _cutBeforeFinal = new(StringComparer.Ordinal);
    private readonly int _halfBudget = maxCharacters / 2;
    private int _headCharacters;
    private int _tailCharacters;
    private int _omitted;

    /// <summary>One turn: who spoke, the words, seconds into the call, whether the person cut it short.</summary>
    public sealed record Turn(string Speaker, string Text, double AtSeconds, bool Interrupted = false);

    /// <summary>The person's words, as the model transcribed them.</summary>
    public void CalleeSaid(string text) => Add(new Turn(Callee, text, Now()));

    /// <summary>The agent's words once spoken (the model's final transcript): heard in full unless an interruption says otherwise.</summary>
    public void AgentSaid(string text)
    {
        lock (_gate)
        {
            // The person cut in before the model's final transcript of these words: the turn is already recorded as heard.
            if (_cutBeforeFinal.Remove(text))
            {
                return;
            }
        }
        Add(new Turn(Agent, text, Now()));
    }

    /// <summary>The person stopped hearing the agent's <paramref name="said"/> after <paramref name="heard"/> of it (empty: nothing).</summary>
    public void AgentCut(string said, string heard)
    {
        if (said.Length == 0)
        {
            return;
        }
        lock (_gate)
        {
            if (Recent().Take(CutLookBack).FirstOrDefault(t => t is { Speaker: Agent, Interrupted: false } && t.Text == said) is { } recorded)
            {
                Replace(recorded, heard.Length == 0 ? null : recorded with { Text = heard, Interrupted = true });
                return;
            }
            _cutBeforeFinal.Add(said);
        }
        if (heard.Length > 0)
        {
            Add(new Turn(Agent, heard, Now(), Interrupted: true));
        }
    }

    /// <summary>The turns kept, in order, and how many between the opening and the latest ones were left out.</summary>
    public (IReadOnlyList<Turn> Turns, int Omitted) Complete()
    {
        lock (_gate)
        {
            return ([.. _head, .. _tail], _omitted);
        }
    }

    private double Now() => Math.Round(time.GetElapsedTime(startedAt).TotalSeconds, 1);

    private void Add(Turn turn)
    {
        if (turn.Text.Length > _halfBudget)
        {
            turn = turn with { Text = _halfBudget > 1 ? turn.Text[..(_halfBudget - 1)] + "…" : "" };
        }
        lock (_gate)
        {
            if (_tail.Count == 0 && _headCharacters + turn.Text.Length <= _halfBudget)
            {
                _head.Add(turn);
                _headCharacters += turn.Text.Length;
                return;
            }
            _tail.AddLast(turn);
            _tailCharacters += turn.Text.Length;
            while (_tailCharacters > _halfBudget && _tail.First is { } oldest)
            {
                _tail.RemoveFirst();
                _tailCharacters -= oldest.Value.Text.Length;
                _omitted++;
            }
        }
    }

    /// <summary>The turns from the latest back (under the lock).</summary>
    private IEnumerable<Turn> Recent()
    {
        for (var node = _tail.Last; node is not null; node = node.Previous)
        {
            yield return node.Value;
        }
        for (var i = _head.Count - 1; i >= 0; i--)
        {
            yield return _head[i];
        }
    }

    /// <summary>Puts <paramref name="turn"/> where <paramref name="recorded"/> is kept, or removes it (null), under the lock.</summary>
    private void Replace(Turn recorded, Turn? turn)
    {
        var change = (turn?.Text.Length ?? 0) - recorded.Text.Length;
        var node = _tail.Last;
        while (node is not null && !ReferenceEquals(node.Value, recorded))
        {
            node = node.Previous;
        }
        if (node is not null)
        {
            _tailCharacters += change;
            if (turn is null)
            {
                _tail.Remove(node);
            }
            else
            {
                node.Value = turn;
            }
            return;
        }
        var index = _head.FindLastIndex(t => ReferenceEquals(t, recorded));
        _headCharacters += change;
        if (turn is null)
        {
            _head.RemoveAt(index);
        }
        else
        {
            _head[index] = turn;
        }
    }
}
