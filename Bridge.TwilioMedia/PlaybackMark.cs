using System.Buffers.Text;
using System.Text;

namespace Bridge.TwilioMedia;

/// <summary>
/// The name of a mark the bridge sends after a piece of audio: <c>{clear generation}.{sequence}</c>. Twilio echoes
/// a mark when playback reaches it, and echoes every pending mark at once on <c>clear</c>; the generation tells a
/// heard mark from a flushed one.
/// </summary>
public readonly record struct PlaybackMark(int Generation, long Sequence)
{
    /// <summary>Longest name: int.MaxValue and long.MaxValue with the dot.</summary>
    public const int MaxNameLength = 10 + 1 + 19;

    public bool TryFormat(Span<byte> utf8, out int written)
    {
        written = 0;
        if (!Utf8Formatter.TryFormat(Generation, utf8, out var generationLength) || generationLength >= utf8.Length)
        {
            return false;
        }
        utf8[generationLength] = (byte)'.';
        if (!Utf8Formatter.TryFormat(Sequence, utf8[(generationLength + 1)..], out var sequenceLength))
        {
            return false;
        }
        written = generationLength + 1 + sequenceLength;
        return true;
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out PlaybackMark mark)
    {
        mark = default;
        var dot = utf8.IndexOf((byte)'.');
        if (dot <= 0 ||
            !Utf8Parser.TryParse(utf8[..dot], out int generation, out var generationLength) || generationLength != dot || generation < 0 ||
            !Utf8Parser.TryParse(utf8[(dot + 1)..], out long sequence, out var sequenceLength) || sequenceLength != utf8.Length - dot - 1 || sequence < 0)
        {
            return false;
        }
        mark = new PlaybackMark(generation, sequence);
        return true;
    }

    public override string ToString()
    {
        Span<byte> name = stackalloc byte[MaxNameLength];
        return TryFormat(name, out var written) ? Encoding.ASCII.GetString(name[..written]) : "";
    }
}
