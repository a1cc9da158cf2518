using System.Collections.Concurrent;

namespace Bridge.TwilioStandIn.Media;

/// <summary>Keys a live caller presses while the stream runs; each goes out as <c>dtmf</c> at the next 20 ms tick.</summary>
public sealed class CallerKeypad
{
    public const string Keys = "0123456789*#ABCD";

    private readonly ConcurrentQueue<char> _pressed = new();

    /// <summary>Presses <paramref name="key"/>; false for a key a phone does not have.</summary>
    public bool Press(char key)
    {
        key = char.ToUpperInvariant(key);
        if (!Keys.Contains(key, StringComparison.Ordinal))
        {
            return false;
        }
        _pressed.Enqueue(key);
        return true;
    }

    internal bool TryTake(out char key) => _pressed.TryDequeue(out key);
}
