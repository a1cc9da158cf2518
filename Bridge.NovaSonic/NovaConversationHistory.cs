using System.Text;

namespace Bridge.NovaSonic;

/// <summary>
/// The conversation so far (final transcripts only), and the history a new stream is given within AWS's limits:
/// each textInput at most 1 KB (longer turns are split), all history at most 40 KB (oldest turns dropped first),
/// and the first turn the user's.
/// </summary>
public sealed class NovaConversationHistory
{
    public const int MaxTextInputBytes = 1024;
    public const int MaxHistoryBytes = 40 * 1024;

    private readonly Lock _lock = new();
    private readonly List<NovaTurn> _turns = [];

    public NovaConversationHistory(IEnumerable<NovaTurn>? initial = null)
    {
        _turns.AddRange(initial ?? []);
    }

    /// <summary>Adds a final utterance; consecutive ones by the same speaker are joined.</summary>
    public void Add(NovaRole role, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        lock (_lock)
        {
            if (_turns.Count > 0 && _turns[^1].Role == role)
            {
                _turns[^1] = _turns[^1] with { Text = _turns[^1].Text + " " + text.Trim() };
            }
            else
            {
                _turns.Add(new NovaTurn(role, text.Trim()));
            }
        }
    }

    /// <summary>
    /// The listener heard only <paramref name="heard"/> of <paramref name="said"/>, which was already recorded as the
    /// end of the last turn (the model reports what it said before it has been played): keeps only what was heard.
    /// Returns false when the last turn does not end with <paramref name="said"/> (then nothing changes).
    /// </summary>
    public bool Truncate(NovaRole role, string said, string heard)
    {
        var saidText = said.Trim();
        lock (_lock)
        {
            if (saidText.Length == 0 || _turns.Count == 0 || _turns[^1].Role != role || !_turns[^1].Text.EndsWith(saidText, StringComparison.Ordinal))
            {
                return false;
            }
            var kept = (_turns[^1].Text[..^saidText.Length] + heard.Trim()).Trim();
            if (kept.Length == 0)
            {
                _turns.RemoveAt(_turns.Count - 1);
            }
            else
            {
                _turns[^1] = _turns[^1] with { Text = kept };
            }
            return true;
        }
    }

    public IReadOnlyList<NovaTurn> Turns
    {
        get
        {
            lock (_lock)
            {
                return [.. _turns];
            }
        }
    }

    /// <summary>The turns to send as history: the newest that fit in <paramref name="maxBytes"/>, starting with a user turn.</summary>
    public IReadOnlyList<NovaTurn> ForNewStream(int maxBytes = MaxHistoryBytes)
    {
        var turns = Turns;
        var kept = new List<NovaTurn>();
        var total = 0;
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            var size = Encoding.UTF8.GetByteCount(turns[i].Text);
            if (total + size > maxBytes)
            {
                if (kept.Count == 0)
                {
                    // A single turn longer than the whole budget: keep its end.
                    kept.Add(turns[i] with { Text = TailWithin(turns[i].Text, maxBytes) });
                }
                break;
            }
            total += size;
            kept.Add(turns[i]);
        }
        kept.Reverse();
        var firstUser = kept.FindIndex(t => t.Role == NovaRole.User);
        return firstUser < 0 ? [] : kept[firstUser..];
    }

    /// <summary>Splits a text into pieces of at most <paramref name="maxBytes"/> UTF-8 bytes, at spaces where possible.</summary>
    public static IReadOnlyList<string> Split(string text, int maxBytes = MaxTextInputBytes)
    {
        var pieces = new List<string>();
        var rest = text.AsSpan();
        while (Encoding.UTF8.GetByteCount(rest) > maxBytes)
        {
            var cut = LongestPrefixWithin(rest, maxBytes);
            var space = rest[..cut].LastIndexOf(' ');
            if (space > cut / 2)
            {
                cut = space + 1;
            }
            pieces.Add(rest[..cut].ToString());
            rest = rest[cut..];
        }
        if (rest.Length > 0)
        {
            pieces.Add(rest.ToString());
        }
        return pieces;
    }

    private static int LongestPrefixWithin(ReadOnlySpan<char> text, int maxBytes)
    {
        var bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.Slice(i, width));
            if (bytes + size > maxBytes)
            {
                break;
            }
            bytes += size;
            i += width;
        }
        return i;
    }

    private static string TailWithin(string text, int maxBytes)
    {
        var bytes = 0;
        var start = text.Length;
        while (start > 0)
        {
            var width = char.IsLowSurrogate(text[start - 1]) && start >= 2 ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(start - width, width));
            if (bytes + size > maxBytes)
            {
                break;
            }
            bytes += size;
            start -= width;
        }
        return text[start..];
    }
}
